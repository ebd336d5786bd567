package dev.tessera.registry.join;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.registry.definition.DefinitionInUseException;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DependentsGuard;
import dev.tessera.registry.definition.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Active Joins keep working while their GroupBys change: a GroupBy that the latest version of an
 * active Join reads cannot be retired, and a GroupBy version those Joins would no longer compile
 * against (a feature a derivation reads is gone, an online Join over a GroupBy gone offline) cannot
 * be published; both are 409 naming the Joins. Runs in the GroupBy's write transaction, which holds
 * its row lock; a Join publish locks the rows of its GroupBys too, so the two cannot pass each other.
 */
public final class JoinsReadGroupBys implements DependentsGuard {
  private final JoinParts parts;
  private final DefinitionRepository<Join> joins;
  private final DefinitionRepository<GroupBy> groupBys;

  public JoinsReadGroupBys(JoinParts parts, DefinitionRepository<Join> joins, DefinitionRepository<GroupBy> groupBys) {
    this.parts = parts;
    this.joins = joins;
    this.groupBys = groupBys;
  }

  @Override
  public Kind guards() {
    return Kind.GROUPBY;
  }

  @Override
  public void beforeRetire(String groupBy) {
    List<String> users = parts.activeJoinsUsing(groupBy);
    if (!users.isEmpty()) throw DefinitionInUseException.retiring(Kind.GROUPBY, groupBy, Kind.JOIN, users);
  }

  @Override
  public void afterPublish(String groupBy, int version) {
    // the transaction sees the version just written: each Join is compiled as a fetch would now
    GroupByResolver now = new StoredGroupBys(groupBys);
    Map<String, List<String>> broken = new LinkedHashMap<>();
    for (String join : parts.activeJoinsUsing(groupBy)) {
      Join latest = joins.find(join).map(DefinitionSummary::latestVersion).flatMap(v -> joins.version(join, v))
          .orElseThrow(() -> new IllegalStateException("active Join " + join + " has no latest version")).definition();
      JoinCompileResult r = JoinCompiler.compile(latest, now);
      if (!r.ok()) broken.put(join, r.problems().stream().map(Problem::toString).toList());
    }
    if (!broken.isEmpty()) throw DefinitionInUseException.breaking(Kind.GROUPBY, groupBy, version, Kind.JOIN, broken);
  }
}
