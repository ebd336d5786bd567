package dev.tessera.registry.definition;

import dev.tessera.agg.definition.Problem;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered name as the list shows it. {@code revision} counts every change of the name (new
 * version, metadata update, retirement): it is the optimistic-locking token behind the ETag.
 * {@code featureCount} is what the definition outputs: a GroupBy's features, a Join's columns.
 */
public record DefinitionSummary(String name, DefinitionStatus status, int latestVersion, long revision, String team,
    String description, boolean online, int featureCount, Instant createdAt, Instant updatedAt, String updatedBy) {
  /** Longest team name the registry stores (it is a column of the lists). */
  public static final int MAX_TEAM_LENGTH = 128;

  public DefinitionSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
  }

  /** {@code "3.7"}: latest version 3, revision 7. Quoted in the ETag header. */
  public String etag() {
    return latestVersion + "." + revision;
  }

  /** The registry's own limit on a definition's team, beyond what common-agg checks. */
  public static Optional<Problem> teamProblem(String team) {
    if (team == null || team.length() <= MAX_TEAM_LENGTH) return Optional.empty();
    return Optional.of(new Problem("$.team", "is " + team.length() + " characters long; at most " + MAX_TEAM_LENGTH + " are allowed"));
  }
}
