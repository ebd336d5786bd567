package dev.tessera.support;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Definitions from a directory of files ({@link DefinitionFiles}), for local runs and benchmarks
 * without Kafka. The live version of a name is its highest; a GroupBy file that does not compile is
 * logged and ignored. Files are read at every lookup, so an edited file counts on the next one; the
 * compiled cache makes that cheap (an unchanged version is not compiled again).
 */
final class DirectoryDefinitions extends BaseDefinitions {
  private static final Logger log = LoggerFactory.getLogger(DirectoryDefinitions.class);

  private final Path directory;
  DirectoryDefinitions(Path directory) {
    super(new CompiledCache());
    this.directory = directory;
  }

  @Override
  public Optional<LiveGroupBy> live(String name) {
    return Optional.ofNullable(groupBys(null).get(name));
  }

  /** Any version a file holds, while the GroupBy has one at all (a Join part may pin one that is no longer the highest). */
  @Override
  public Optional<LiveGroupBy> version(String name, int version) {
    return live(name).isEmpty() ? Optional.empty() : Optional.ofNullable(groupBys(version).get(name));
  }

  @Override
  public Collection<LiveGroupBy> all() {
    return groupBys(null).values();
  }

  @Override
  public Optional<PublishedJoin> liveJoin(String name) {
    return join(name, null);
  }

  @Override
  public Collection<PublishedJoin> allJoins() {
    Map<String, PublishedJoin> highest = new LinkedHashMap<>();
    for (PublishedJoin p : DefinitionFiles.read(directory).joins()) highest.merge(p.name(), p, (a, b) -> a.version() >= b.version() ? a : b);
    return highest.values();
  }

  @Override
  public Optional<PublishedJoin> joinVersion(String name, int version) {
    return join(name, version);
  }

  @Override
  public boolean isCaughtUp() {
    return true;
  }

  @Override
  public boolean awaitCaughtUp(Duration timeout) {
    return true;
  }

  /** Files announce nothing: they are read at each lookup. */
  @Override
  public void addListener(Listener listener) {}

  @Override
  public String description() {
    return "directory " + directory.toAbsolutePath();
  }

  @Override
  public long badRecords() {
    return 0;
  }

  @Override
  public void start() {}

  @Override
  public void close() {}

  /** How many GroupBy compilations were run, for tests of the cache. */
  long compilations() {
    return cache.compilations();
  }

  /** Per name, the highest version that compiles, or only {@code version} when given. */
  private Map<String, LiveGroupBy> groupBys(Integer version) {
    Map<String, LiveGroupBy> out = new LinkedHashMap<>();
    for (PublishedGroupBy p : DefinitionFiles.read(directory).groupBys()) {
      if (version != null && p.version() != version) continue;
      CompileResult compiled = cache.compile(p);
      if (!compiled.ok()) {
        log.warn("ignoring GroupBy {} version {} in {}: does not compile: {}", p.name(), p.version(), directory, compiled.problems());
        continue;
      }
      LiveGroupBy previous = out.get(p.name());
      if (previous == null || previous.version() < p.version()) out.put(p.name(), new LiveGroupBy(p, compiled.compiled()));
    }
    return out;
  }

  private Optional<PublishedJoin> join(String name, Integer version) {
    PublishedJoin best = null;
    for (PublishedJoin p : DefinitionFiles.read(directory).joins()) {
      if (!p.name().equals(name) || (version != null && p.version() != version)) continue;
      if (best == null || p.version() > best.version()) best = p;
    }
    return Optional.ofNullable(best);
  }
}
