package dev.tessera.agg.definition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** Definition trees (GroupBy, Join) as the text users read: indented JSON, compact JSON or YAML. */
public final class TreeWriter {
  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonMapper COMPACT = JsonMapper.builder().build();
  /**
   * Quotes are minimized for readability, but strings that look like numbers ({@code "0.50"},
   * {@code "1e3"}, {@code ".inf"}) stay quoted: unquoted, they would be read back as numbers and
   * come back changed ({@code 0.5}, {@code 1000.0}) or not at all.
   */
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build();

  private TreeWriter() {}

  public static String json(JsonNode tree) {
    return JSON.writeValueAsString(tree);
  }

  public static String compactJson(JsonNode tree) {
    return COMPACT.writeValueAsString(tree);
  }

  public static String yaml(JsonNode tree) {
    return YAML.writeValueAsString(tree);
  }
}
