package dev.tessera.batch.definitions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A directory of definition files ({@code .yaml}, {@code .yml}, {@code .json}): GroupBys and Joins side
 * by side, each file a document or a published record {@code {name, version, definition}}. A Join is
 * told apart by its {@code parts} and {@code left} (or a record's {@code "kind": "join"}).
 */
final class DefinitionFiles {
  private static final Logger log = LoggerFactory.getLogger(DefinitionFiles.class);
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private DefinitionFiles() {}

  /** The definition files of {@code directory}, sorted by name; none when it does not exist. */
  static List<Path> list(Path directory) {
    if (!Files.isDirectory(directory)) {
      log.warn("definitions directory {} does not exist", directory.toAbsolutePath());
      return List.of();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> p.toString().matches("(?i).*\\.(ya?ml|json)")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /** A file's tree (YAML reads JSON too). */
  static JsonNode read(Path file) throws IOException {
    return YAML.readTree(Files.readString(file));
  }

  /** True for a published record (the registry topic's form) rather than a bare document. */
  static boolean isRecord(JsonNode root) {
    return root != null && root.has("definition") && root.has("version");
  }

  /** True when the file holds a Join (a document or a record of one). */
  static boolean isJoin(JsonNode root) {
    if (root == null || !root.isObject()) return false;
    if ("join".equals(root.path("kind").asString(null))) return true;
    JsonNode doc = isRecord(root) ? root.get("definition") : root;
    return doc != null && doc.has("parts") && doc.has("left");
  }
}
