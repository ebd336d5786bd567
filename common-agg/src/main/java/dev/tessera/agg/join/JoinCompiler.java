package dev.tessera.agg.join;

/**
 * Validates ("compiles") a Join against the GroupBys its parts resolve to: reports every problem at
 * once with its JSON path (DESIGN.md "Joins", Validation) and, when there is none, builds the
 * {@link CompiledJoin}.
 */
public final class JoinCompiler {
  private JoinCompiler() {}

  public static JoinCompileResult compile(Join join, GroupByResolver groupBys) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Reads a JSON or YAML document and compiles it; reading and semantic problems come together. */
  public static JoinCompileResult compile(String document, GroupByResolver groupBys) {
    throw new UnsupportedOperationException("TODO");
  }
}
