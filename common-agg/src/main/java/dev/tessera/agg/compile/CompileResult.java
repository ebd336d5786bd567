package dev.tessera.agg.compile;

import dev.tessera.agg.definition.Problem;
import java.util.List;

/** A compiled GroupBy, or every problem that stops it from compiling. */
public record CompileResult(CompiledGroupBy compiled, List<Problem> problems) {
  public CompileResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return compiled != null;
  }

  /** The compiled GroupBy, or an exception listing all problems. */
  public CompiledGroupBy orThrow() {
    if (compiled == null) throw new InvalidGroupByException(problems);
    return compiled;
  }
}
