package dev.tessera.agg.join;

import dev.tessera.agg.definition.Problem;
import java.util.List;

/** A Join that does not compile, with every problem found. */
public final class InvalidJoinException extends IllegalArgumentException {
  private final transient List<Problem> problems;

  public InvalidJoinException(List<Problem> problems) {
    super("invalid Join: " + problems);
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
