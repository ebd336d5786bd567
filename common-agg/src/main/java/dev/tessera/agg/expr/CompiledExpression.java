package dev.tessera.agg.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.tessera.agg.definition.DataType;

/**
 * One checked CEL expression of a source, or a plain column reference (the common case, which
 * skips CEL entirely). SQL-like null semantics: when a column the expression reads is null, a
 * select yields null and a where does not hold, instead of a CEL error.
 */
final class CompiledExpression {
  final String text;
  final DataType type;
  private final CelRuntime.Program program;
  private final int identityIndex;
  private final int[] referenced;

  private CompiledExpression(String text, DataType type, CelRuntime.Program program, int identityIndex, int[] referenced) {
    this.text = text;
    this.type = type;
    this.program = program;
    this.identityIndex = identityIndex;
    this.referenced = referenced;
  }

  static CompiledExpression column(String text, DataType type, int index) {
    return new CompiledExpression(text, type, null, index, new int[] {index});
  }

  static CompiledExpression cel(String text, DataType type, CelRuntime.Program program, int[] referenced) {
    return new CompiledExpression(text, type, program, -1, referenced);
  }

  boolean readsNull(Object[] inputs) {
    for (int i : referenced) {
      if (inputs[i] == null) return true;
    }
    return false;
  }

  /** The value, or null when an input it reads is null. */
  Object eval(Object[] inputs, CelVariableResolver resolver) throws CelEvaluationException {
    if (identityIndex >= 0) return inputs[identityIndex];
    if (readsNull(inputs)) return null;
    return program.eval(resolver);
  }

  /** A where clause: true only when it evaluates to true. */
  boolean test(Object[] inputs, CelVariableResolver resolver) throws CelEvaluationException {
    if (readsNull(inputs)) return false;
    return Boolean.TRUE.equals(program.eval(resolver));
  }
}
