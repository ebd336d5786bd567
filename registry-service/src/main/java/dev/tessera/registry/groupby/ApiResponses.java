package dev.tessera.registry.groupby;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.registry.publish.PublicationState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Bodies of the registry API that are not a GroupBy itself. */
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

  public record Retired(String name, int version, GroupByStatus status, Change change, PublicationState publication) {}

  /** One row of the list. */
  public record Listed(String name, GroupByStatus status, int latestVersion, String team, String description, boolean online,
      int featureCount, Instant updatedAt, String updatedBy) {
    static Listed of(GroupBySummary s) {
      return new Listed(s.name(), s.status(), s.latestVersion(), s.team(), s.description(), s.online(), s.featureCount(),
          s.updatedAt(), s.updatedBy());
    }
  }

  public record GroupByList(List<Listed> groupBys) {}

  /** One version in the history list. */
  public record VersionInfo(int version, Instant publishedAt, String publishedBy, Instant updatedAt, String updatedBy,
      boolean latest) {}

  public record VersionList(String name, GroupByStatus status, int latestVersion, List<VersionInfo> versions) {}

  public record History(String name, List<HistoryEvent> events) {}
}
