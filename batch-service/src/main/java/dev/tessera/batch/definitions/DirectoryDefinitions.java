package dev.tessera.batch.definitions;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.support.LiveGroupBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Definitions from a directory of {@code .yaml}/{@code .yml}/{@code .json} files, for local runs and
 * benchmarks without Kafka. A file holds either a GroupBy document (version 1) or a published record
 * {@code {name, version, definition}} as the registry topic carries it. Files are read on every
 * lookup, so an edited file counts on the next job; a file that does not parse or compile is logged
 * and ignored.
 */
public final class DirectoryDefinitions implements GroupByDefinitions {
  private static final Logger log = LoggerFactory.getLogger(DirectoryDefinitions.class);
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private final Path directory;

  public DirectoryDefinitions(Path directory) {
    this.directory = directory;
  }

  @Override
  public Optional<LiveGroupBy> find(String name) {
    return Optional.ofNullable(load().get(name));
  }

  @Override
  public Collection<LiveGroupBy> all() {
    return load().values();
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public String description() {
    return "directory " + directory.toAbsolutePath();
  }

  private Map<String, LiveGroupBy> load() {
    Map<String, LiveGroupBy> out = new LinkedHashMap<>();
    if (!Files.isDirectory(directory)) {
      log.warn("definitions directory {} does not exist", directory.toAbsolutePath());
      return out;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(directory)) {
      files = s.filter(p -> p.toString().matches("(?i).*\\.(ya?ml|json)")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    for (Path file : files) {
      try {
        LiveGroupBy live = read(file);
        LiveGroupBy previous = out.put(live.name(), live);
        if (previous != null && previous.version() > live.version()) out.put(live.name(), previous);
      } catch (RuntimeException | IOException e) {
        log.warn("ignoring definition file {}: {}", file, e.getMessage());
      }
    }
    return out;
  }

  static LiveGroupBy read(Path file) throws IOException {
    JsonNode root = YAML.readTree(Files.readString(file));
    PublishedGroupBy published;
    if (root != null && root.has("definition") && root.has("version")) {
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
