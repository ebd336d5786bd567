package dev.tessera.registry.groupby;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.registry.definition.Change;
import dev.tessera.registry.definition.DefinitionResponses.Listed;
import dev.tessera.registry.publish.PublicationState;
import java.util.List;
import java.util.Map;

/** Bodies of the GroupBy API that are not a GroupBy itself (the shared ones are in DefinitionResponses). */
public final class ApiResponses {
  private ApiResponses() {}

  /**
   * Answer to a publish: what changed, the version that is now the latest, and whether the record
   * has reached the topic yet ({@code publication.status}: SENT, PENDING or NOTHING_TO_PUBLISH).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Published(String name, int version, Change change, Integer previousVersion, PublicationState publication,
      GroupByView groupBy) {}

  /** Answer to a valid dry run: what publishing would do, and what the definition compiles to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Validated(boolean valid, String name, Change change, int version, Integer previousVersion,
      List<GroupByView.FeatureView> features, String tileSize, long tileSizeMillis, Map<String, String> hops) {}

  public record GroupByList(List<Listed> groupBys) {}
}
