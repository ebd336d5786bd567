package dev.tessera.support;

import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.registry.PublishedJoin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a Join version's parts against the GroupBy versions of a {@link Definitions} (the live
 * version for a part without a version, the pinned one otherwise) and compiles it against them.
 * Compiling a Join (its derivations' CEL programs among it) is done once per Join version and
 * combination of its parts' GroupBy versions: each lookup resolves the parts (map look-ups) and
 * reuses the compilation while they are the same, so a new GroupBy version recompiles it once. A
 * Join that does not compile against what its parts resolve to is remembered the same way.
 */
final class JoinResolver {
  private static final Logger log = LoggerFactory.getLogger(JoinResolver.class);

  /** What a compilation depends on: per part, its GroupBy version or why it has none. */
  private record Key(List<Object> parts) {}

  private record Compiled(PublishedJoin published, Key key, JoinResolution resolution) {
    /** The same Join version (a file edited in place keeps its version) against the same part versions. */
    boolean compiledFrom(PublishedJoin join, Key parts) {
      return key.equals(parts) && (published == join || published.equals(join));
    }
  }

  private final Definitions groupBys;
  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

  JoinResolver(Definitions groupBys) {
    this.groupBys = groupBys;
  }

  JoinResolution resolve(PublishedJoin published) {
    Map<List<Object>, GroupByResolver.Resolution> resolved = new HashMap<>();
    Map<List<Object>, LiveGroupBy> found = new HashMap<>();
    List<Object> versions = new ArrayList<>();
    for (JoinPart part : published.definition().parts()) {
      GroupByResolver.Resolution r = resolved.computeIfAbsent(Arrays.asList(part.groupBy(), part.version()),
          k -> resolve(part.groupBy(), part.version(), found));
      versions.add(r instanceof GroupByResolver.Found f ? f.version() : ((GroupByResolver.Missing) r).reason());
    }
    Key key = new Key(versions);
    String at = published.name() + "@" + published.version();
    Compiled c = compiled.get(at);
    if (c == null || !c.compiledFrom(published, key)) {
      c = compiled.compute(at, (n, old) -> old != null && old.compiledFrom(published, key) ? old : compile(published, key, resolved, found));
    }
    return c.resolution();
  }

  /** Forgets the compilations of a retired Join. */
  void forget(String join) {
    compiled.keySet().removeIf(k -> k.startsWith(join + "@"));
  }

  private GroupByResolver.Resolution resolve(String groupBy, Integer version, Map<List<Object>, LiveGroupBy> found) {
    Optional<LiveGroupBy> live = groupBys.live(groupBy);
    if (live.isEmpty()) return new GroupByResolver.Missing("unknown GroupBy '" + groupBy + "' (never published, or retired)");
    Optional<LiveGroupBy> at = version == null ? live : groupBys.version(groupBy, version);
    if (at.isEmpty()) {
      return new GroupByResolver.Missing("GroupBy '" + groupBy + "' has no version " + version + " (live: " + live.get().version() + ")");
    }
    found.put(Arrays.asList(groupBy, version), at.get());
    return new GroupByResolver.Found(at.get().version(), at.get().compiled());
  }

  private Compiled compile(PublishedJoin published, Key key, Map<List<Object>, GroupByResolver.Resolution> resolved,
      Map<List<Object>, LiveGroupBy> found) {
    // the compiler asks for what the parts name, all resolved above; anything else is resolved as asked
    GroupByResolver resolver = (groupBy, version) -> resolved.computeIfAbsent(Arrays.asList(groupBy, version),
        k -> resolve(groupBy, version, found));
    JoinCompileResult result = JoinCompiler.compile(published.definition(), resolver);
    if (!result.ok()) {
      log.warn("Join {} version {} does not compile against its parts' GroupBys {}: {}", published.name(), published.version(), key.parts(),
          result.problems());
      return new Compiled(published, key, new JoinResolution(published, null, List.of(), result.problems()));
    }
    List<LiveGroupBy> parts = new ArrayList<>();
    for (JoinPart part : published.definition().parts()) parts.add(found.get(Arrays.asList(part.groupBy(), part.version())));
    log.info("Join {} version {} compiled against GroupBy versions {}", published.name(), published.version(), key.parts());
    return new Compiled(published, key, new JoinResolution(published, result.compiled(), parts, List.of()));
  }
}
