package dev.tessera.registry.groupby;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered name as the list shows it. {@code revision} counts every change of the name (new
 * version, metadata update, retirement): it is the optimistic-locking token behind the ETag.
 */
public record GroupBySummary(String name, GroupByStatus status, int latestVersion, long revision, String team,
    String description, boolean online, int featureCount, Instant createdAt, Instant updatedAt, String updatedBy) {
  public GroupBySummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
  }

  /** {@code "3.7"}: latest version 3, revision 7. Quoted in the ETag header. */
  public String etag() {
    return latestVersion + "." + revision;
  }
}
