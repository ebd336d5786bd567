package dev.tessera.agg.join;

import tools.jackson.databind.node.ObjectNode;

/** Writes a Join in the document form {@link JoinReader} reads (optional fields left out when unset). */
public final class JoinWriter {
  private JoinWriter() {}

  public static ObjectNode toTree(Join join) {
    throw new UnsupportedOperationException("TODO");
  }

  public static String toJson(Join join) {
    throw new UnsupportedOperationException("TODO");
  }

  public static String toYaml(Join join) {
    throw new UnsupportedOperationException("TODO");
  }
}
