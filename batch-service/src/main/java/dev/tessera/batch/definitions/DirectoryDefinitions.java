package dev.tessera.batch.definitions;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.support.LiveGroupBy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Definitions from a directory of {@code .yaml}/{@code .yml}/{@code .json} files, for local runs and
 * benchmarks without Kafka. A file holds either a GroupBy document (version 1) or a published record
 * {@code {name, version, definition}} as the registry topic carries it; the live version of a name is
 * its highest. Join files beside them are left to {@link DirectoryJoinDefinitions}. Files are read on
 * every lookup, so an edited file counts on the next job; a file that does not parse or compile is
 * logged and ignored.
 */
public final class DirectoryDefinitions implements GroupByDefinitions {
  private static final Logger log = LoggerFactory.getLogger(DirectoryDefinitions.class);

  private final Path directory;

  public DirectoryDefinitions(Path directory) {
    this.directory = directory;
  }

  @Override
  public Optional<LiveGroupBy> find(String name) {
    return Optional.ofNullable(load(null).get(name));
  }

  /** Any version a file holds (a Join part may pin one that is no longer the highest). */
  @Override
  public Optional<PublishedGroupBy> version(String name, int version) {
    return Optional.ofNullable(load(version).get(name)).map(LiveGroupBy::published);
  }

  @Override
  public Collection<LiveGroupBy> all() {
    return load(null).values();
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public String description() {
    return "directory " + directory.toAbsolutePath();
  }

  /** Per name, the highest version, or only {@code version} when given. */
  private Map<String, LiveGroupBy> load(Integer version) {
    Map<String, LiveGroupBy> out = new LinkedHashMap<>();
    for (Path file : DefinitionFiles.list(directory)) {
      try {
        JsonNode root = DefinitionFiles.read(file);
        if (DefinitionFiles.isJoin(root)) continue;
        LiveGroupBy live = read(root, file);
        if (version != null && live.version() != version) continue;
        LiveGroupBy previous = out.put(live.name(), live);
        if (previous != null && previous.version() > live.version()) out.put(live.name(), previous);
      } catch (RuntimeException | IOException e) {
        log.warn("ignoring definition file {}: {}", file, e.getMessage());
      }
    }
    return out;
  }

  static LiveGroupBy read(JsonNode root, Path file) throws IOException {
    PublishedGroupBy published;
    if (DefinitionFiles.isRecord(root)) {
      published = PublishedGroupBy.fromTree(root);
    } else {
      ParseResult parsed = GroupByReader.read(root);
      if (!parsed.ok()) throw new IllegalArgumentException("does not parse: " + parsed.problems());
      published = new PublishedGroupBy(parsed.groupBy().name(), 1, parsed.groupBy(),
          Files.getLastModifiedTime(file).toInstant(), "file:" + file.getFileName());
    }
    CompileResult compiled = GroupByCompiler.compile(published.definition());
    if (!compiled.ok()) throw new IllegalArgumentException("does not compile: " + compiled.problems());
    return new LiveGroupBy(published, compiled.compiled());
  }
}
