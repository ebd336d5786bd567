package dev.tessera.batch.definitions;

import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Joins from the definitions directory (local runs and benchmarks): files beside the GroupBy files
 * holding a Join document (version 1) or a published record {@code {name, version, definition}}; the
 * latest version of a name is its highest. Read on every lookup, like the GroupBys; a Join file that
 * does not read is logged and ignored (whether it compiles is checked when a job names it).
 */
public final class DirectoryJoinDefinitions implements JoinDefinitions {
  private static final Logger log = LoggerFactory.getLogger(DirectoryJoinDefinitions.class);

  private final Path directory;

  public DirectoryJoinDefinitions(Path directory) {
    this.directory = directory;
  }

  @Override
  public Optional<PublishedJoin> find(String name) {
    return load(name, null);
  }

  @Override
  public Optional<PublishedJoin> find(String name, int version) {
    return load(name, version);
  }

  @Override
  public String description() {
    return "directory " + directory.toAbsolutePath();
  }

  private Optional<PublishedJoin> load(String name, Integer version) {
    PublishedJoin best = null;
    for (Path file : DefinitionFiles.list(directory)) {
      try {
        JsonNode root = DefinitionFiles.read(file);
        if (!DefinitionFiles.isJoin(root)) continue;
        PublishedJoin p = read(root, file);
        if (!p.name().equals(name) || (version != null && p.version() != version)) continue;
        if (best == null || p.version() > best.version()) best = p;
      } catch (RuntimeException | IOException e) {
        log.warn("ignoring Join file {}: {}", file, e.getMessage());
      }
    }
    return Optional.ofNullable(best);
  }

  static PublishedJoin read(JsonNode root, Path file) throws IOException {
    if (DefinitionFiles.isRecord(root)) return PublishedJoin.fromTree(root);
    JoinParseResult parsed = JoinReader.read(root);
    if (!parsed.ok()) throw new IllegalArgumentException("does not parse: " + parsed.problems());
    return new PublishedJoin(parsed.join().name(), 1, parsed.join(), Files.getLastModifiedTime(file).toInstant(),
        "file:" + file.getFileName());
  }
}
