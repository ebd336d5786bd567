package dev.tessera.agg.join;

import tools.jackson.databind.JsonNode;

/**
 * Reads a Join from JSON or YAML (DESIGN.md "Joins"). Never throws on bad input: every problem is
 * reported with its JSON path, and as much of the Join as can be understood is kept.
 */
public final class JoinReader {
  private JoinReader() {}

  /** JSON when the text starts with '{', YAML otherwise. */
  public static JoinParseResult read(String text) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Reads a tree that was already parsed, e.g. a JSON request body. */
  public static JoinParseResult read(JsonNode root) {
    throw new UnsupportedOperationException("TODO");
  }
}
