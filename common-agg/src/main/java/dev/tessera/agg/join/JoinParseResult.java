package dev.tessera.agg.join;

import dev.tessera.agg.definition.Problem;
import java.util.List;

/** What the reader made of a Join document: the Join (null when too broken to inspect) and the problems found reading it. */
public record JoinParseResult(Join join, List<Problem> problems) {
  public JoinParseResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return join != null && problems.isEmpty();
  }
}
