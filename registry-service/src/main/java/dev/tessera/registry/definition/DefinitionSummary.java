package dev.tessera.registry.definition;

import dev.tessera.agg.definition.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

  /**
   * The registry's own limits on a definition's team and description, beyond what common-agg
   * checks: both are columns of the lists, and PostgreSQL stores no NUL character (code point 0)
   * in text while a YAML or JSON escape makes one, so a NUL is refused here with its path instead
   * of failing the insert.
   */
  public static List<Problem> storageProblems(String team, String description) {
    List<Problem> problems = new ArrayList<>();
    if (team != null && team.length() > MAX_TEAM_LENGTH) {
      problems.add(new Problem("$.team", "is " + team.length() + " characters long; at most " + MAX_TEAM_LENGTH + " are allowed"));
    }
    if (team != null && team.indexOf('\0') >= 0) problems.add(new Problem("$.team", NUL));
    if (description != null && description.indexOf('\0') >= 0) problems.add(new Problem("$.description", NUL));
    return problems;
  }

  private static final String NUL = "contains the character U+0000 (NUL), which the registry cannot store; remove it";
}
