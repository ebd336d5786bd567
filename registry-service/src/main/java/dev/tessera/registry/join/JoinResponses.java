package dev.tessera.registry.join;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.registry.definition.Change;
import dev.tessera.registry.definition.DefinitionResponses.Listed;
import dev.tessera.registry.join.JoinView.ColumnView;
import dev.tessera.registry.join.JoinView.PartView;
import dev.tessera.registry.publish.PublicationState;
import java.util.List;

/** Bodies of the Join API that are not a Join itself (the shared ones are in DefinitionResponses). */
public final class JoinResponses {
  private JoinResponses() {}

  /** Answer to a publish, as for GroupBys; {@code join} is what a GET of the version gives. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Published(String name, int version, Change change, Integer previousVersion, PublicationState publication, JoinView join) {}

  /** Answer to a valid dry run: what publishing would do, the GroupBy versions the parts resolve to, and the columns. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Validated(boolean valid, String name, Change change, int version, Integer previousVersion, List<String> keyColumns,
      List<PartView> parts, List<ColumnView> columns) {}

  /** {@code featureCount} of a Join is its number of output columns. */
  public record JoinList(List<Listed> joins) {}
}
