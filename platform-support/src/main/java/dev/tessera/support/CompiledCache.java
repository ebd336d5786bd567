package dev.tessera.support;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compiled form of every GroupBy version a {@link Definitions} has seen, keyed by (name,
 * version): the topic, the REST API, a definitions file and a Join part all meet here, so a version
 * is compiled once per process. A published version never changes; the definition is kept with the
 * entry anyway, so a file edited in place (a local run keeps version 1) compiles again.
 */
final class CompiledCache {
  private record Key(String name, int version) {}

  private record Entry(GroupBy definition, CompileResult result) {
    boolean of(GroupBy g) {
      return definition == g || definition.equals(g);
    }
  }

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong compilations = new AtomicLong();

  /** The compilation of {@code published}: its compiled form, or its problems. */
  CompileResult compile(PublishedGroupBy published) {
    Key key = new Key(published.name(), published.version());
    Entry e = entries.get(key);
    if (e != null && e.of(published.definition())) return e.result();
    return entries.compute(key, (k, old) -> old != null && old.of(published.definition()) ? old
        : new Entry(published.definition(), compileNow(published))).result();
  }

  /**
   * {@code published} with its compiled form.
   *
   * @throws IllegalArgumentException when it does not compile
   */
  LiveGroupBy live(PublishedGroupBy published) {
    CompileResult r = compile(published);
    if (!r.ok()) {
      throw new IllegalArgumentException("GroupBy " + published.name() + " version " + published.version() + " does not compile: "
          + r.problems());
    }
    return new LiveGroupBy(published, r.compiled());
  }

  /** How many compilations were run (not answered from the cache). */
  long compilations() {
    return compilations.get();
  }

  private CompileResult compileNow(PublishedGroupBy published) {
    compilations.incrementAndGet();
    return GroupByCompiler.compile(published.definition());
  }
}
