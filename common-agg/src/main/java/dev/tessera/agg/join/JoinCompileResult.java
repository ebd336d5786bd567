package dev.tessera.agg.join;

import dev.tessera.agg.definition.Problem;
import java.util.List;

/** A compiled Join, or every problem that stops it from compiling. */
public record JoinCompileResult(CompiledJoin compiled, List<Problem> problems) {
  public JoinCompileResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return compiled != null;
  }

  /** The compiled Join, or an exception listing all problems. */
  public CompiledJoin orThrow() {
    if (compiled == null) throw new InvalidJoinException(problems);
    return compiled;
  }
}
