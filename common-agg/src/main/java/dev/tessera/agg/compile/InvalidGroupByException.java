package dev.tessera.agg.compile;

import dev.tessera.agg.definition.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** A definition that does not compile, with all of its problems. */
public class InvalidGroupByException extends RuntimeException {
  private final List<Problem> problems;

  public InvalidGroupByException(List<Problem> problems) {
    super("invalid GroupBy:\n  " + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
