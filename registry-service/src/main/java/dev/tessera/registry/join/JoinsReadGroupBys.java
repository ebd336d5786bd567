package dev.tessera.registry.join;

import dev.tessera.registry.definition.DefinitionInUseException;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.RetireGuard;
import java.util.List;

/**
 * A GroupBy that an active Join reads cannot be retired (409 naming the Joins): the Join's training
 * sets and fetches would fail. Runs in the retiring transaction, which holds the GroupBy's row
 * lock; a Join publish locks the rows of its GroupBys too, so the two cannot pass each other.
 */
public final class JoinsReadGroupBys implements RetireGuard {
  private final JoinParts parts;

  public JoinsReadGroupBys(JoinParts parts) {
    this.parts = parts;
  }

  @Override
  public Kind guards() {
    return Kind.GROUPBY;
  }

  @Override
  public void check(String groupBy) {
    List<String> joins = parts.activeJoinsUsing(groupBy);
    if (!joins.isEmpty()) throw new DefinitionInUseException(Kind.GROUPBY, groupBy, Kind.JOIN, joins);
  }
}
