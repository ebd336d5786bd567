package dev.tessera.support;

import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A directory of definition files ({@code .yaml}, {@code .yml}, {@code .json}): GroupBys and Joins side
 * by side, each file a document (version 1) or a published record {@code {name, version, definition}}
 * as the registry topic carries it. A Join is told apart by its {@code parts} and {@code left} (or a
 * record's {@code "kind": "join"}). A file that does not read is logged and skipped.
 */
final class DefinitionFiles {
  private static final Logger log = LoggerFactory.getLogger(DefinitionFiles.class);
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** What a directory holds now, in file name order. */
  record Contents(List<PublishedGroupBy> groupBys, List<PublishedJoin> joins) {}

  private DefinitionFiles() {}

  static Contents read(Path directory) {
    List<PublishedGroupBy> groupBys = new ArrayList<>();
    List<PublishedJoin> joins = new ArrayList<>();
    for (Path file : list(directory)) {
      try {
        JsonNode root = YAML.readTree(Files.readString(file));
        if (isJoin(root)) joins.add(join(root, file));
        else groupBys.add(groupBy(root, file));
      } catch (RuntimeException | IOException e) {
        log.warn("ignoring definition file {}: {}", file, e.getMessage());
      }
    }
    return new Contents(groupBys, joins);
  }

  /** The definition files of {@code directory}, sorted by name; none when it does not exist. */
  private static List<Path> list(Path directory) {
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

  /** True for a published record (the registry topic's form) rather than a bare document. */
  private static boolean isRecord(JsonNode root) {
    return root != null && root.has("definition") && root.has("version");
  }

  /** True when the file holds a Join (a document or a record of one). */
  static boolean isJoin(JsonNode root) {
    if (root == null || !root.isObject()) return false;
    if (PublishedJoin.KIND.equals(root.path("kind").asString(null))) return true;
    JsonNode doc = isRecord(root) ? root.get("definition") : root;
    return doc != null && doc.has("parts") && doc.has("left");
  }

  private static PublishedGroupBy groupBy(JsonNode root, Path file) throws IOException {
    if (isRecord(root)) return PublishedGroupBy.fromTree(root);
    ParseResult parsed = GroupByReader.read(root);
    if (!parsed.ok()) throw new IllegalArgumentException("does not parse: " + parsed.problems());
    return new PublishedGroupBy(parsed.groupBy().name(), 1, parsed.groupBy(), modified(file), "file:" + file.getFileName());
  }

  private static PublishedJoin join(JsonNode root, Path file) throws IOException {
    if (isRecord(root)) return PublishedJoin.fromTree(root);
    JoinParseResult parsed = JoinReader.read(root);
    if (!parsed.ok()) throw new IllegalArgumentException("does not parse: " + parsed.problems());
    return new PublishedJoin(parsed.join().name(), 1, parsed.join(), modified(file), "file:" + file.getFileName());
  }

  private static Instant modified(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toInstant();
  }
}
