package dev.tessera.support;

import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.registry.PublishedJoin;
import java.util.List;

/**
 * A Join version resolved against the GroupBy versions of its parts (DESIGN-joins.md): compiled
 * when every part resolved and the Join compiles against them, else the problems why not (a
 * retired GroupBy, an unknown pinned version).
 *
 * @param parts per part, in part order, the GroupBy version it resolved to (empty when it did not compile)
 */
public record JoinResolution(PublishedJoin published, CompiledJoin compiled, List<LiveGroupBy> parts, List<Problem> problems) {
  public JoinResolution {
    parts = List.copyOf(parts);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return compiled != null;
  }

  public String name() {
    return published.name();
  }

  public int version() {
    return published.version();
  }
}
