package dev.tessera.fetcher.definitions;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live Joins the fetcher serves, compiled (DESIGN-joins.md "Online"). A Join comes from the
 * registry topic ({@link RegistryFollower#followJoins()}), or, for a name the topic has not shown,
 * from the registry REST API ({@code GET /api/v1/joins/{name}}) with the same caching and miss
 * rules as {@link GroupByDefinitions}. Its parts resolve through {@link GroupByDefinitions}: the
 * live version of each GroupBy, or the version a part pins.
 *
 * <p>Compiling a Join (its derivations' CEL programs among it) is done once per combination of the
 * Join version and its parts' GroupBy versions: each fetch resolves the parts (map look-ups) and
 * reuses the compiled Join while they are the same, so a new GroupBy version recompiles it once.
 * A Join that does not compile against what its parts resolve to (a retired GroupBy, an unknown
 * pinned version) is remembered the same way and answered with {@link UnservableJoinException}.
 */
public final class JoinDefinitions {
  private static final Logger log = LoggerFactory.getLogger(JoinDefinitions.class);

  /** A live Join version compiled against the GroupBy versions its parts resolved to. */
  public record ServableJoin(PublishedJoin published, CompiledJoin compiled) {
    public String name() {
      return published.name();
    }

    public int version() {
      return published.version();
    }
  }

  /** What a compilation depends on: the Join version and, per part, its GroupBy version or why it has none. */
  private record Key(int joinVersion, List<Object> parts) {}

  private record Compiled(Key key, ServableJoin servable, UnservableJoinException failure) {}

  private final RegistryFollower follower;
  private final RestFallback<PublishedJoin> fromRest;
  private final GroupByDefinitions groupBys;
  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

  /** @param follower the registry topic follower (following Joins), or null to rely on the REST API alone */
  public JoinDefinitions(RegistryFollower follower, RegistryClient registry, GroupByDefinitions groupBys, InstantSource clock,
      Duration cacheTtl, Duration missTtl) {
    this.follower = follower;
    this.groupBys = groupBys;
    this.fromRest = new RestFallback<>("Join", registry::join, PublishedJoin::version, follower, clock, cacheTtl, missTtl);
    if (follower != null) {
      follower.addJoinListener((name, published) -> {
        fromRest.forget(name);
        if (published == null) compiled.remove(name);
      });
    }
  }

  /**
   * @throws UnknownJoinException when there is no live Join of that name
   * @throws UnservableJoinException when it does not compile against its parts' GroupBys
   * @throws DefinitionsUnavailableException when either cannot be told right now
   */
  public ServableJoin require(String name) {
    if (!GroupByDefinitions.NAME.matcher(name).matches()) throw new UnknownJoinException(name, "Join names match [a-z][a-z0-9_]{0,62}");
    PublishedJoin published = follower == null ? null : follower.getJoin(name).orElse(null);
    if (published == null) published = fromRest.get(name);
    if (published == null) throw new UnknownJoinException(name, null);

    Map<List<Object>, GroupByResolver.Resolution> resolved = new HashMap<>();
    List<Object> versions = new ArrayList<>();
    for (JoinPart part : published.definition().parts()) {
      GroupByResolver.Resolution r = resolved.computeIfAbsent(Arrays.asList(part.groupBy(), part.version()),
          k -> resolve(part.groupBy(), part.version()));
      versions.add(r instanceof GroupByResolver.Found f ? f.version() : ((GroupByResolver.Missing) r).reason());
    }
    Key key = new Key(published.version(), versions);
    Compiled c = compiled.get(name);
    if (c == null || !c.key().equals(key)) {
      PublishedJoin p = published;
      c = compiled.compute(name, (n, old) -> old != null && old.key().equals(key) ? old : compile(p, key, resolved));
    }
    if (c.failure() != null) throw new UnservableJoinException(name, published.version(), c.failure().problems());
    return c.servable();
  }

  private GroupByResolver.Resolution resolve(String groupBy, Integer version) {
    try {
      LiveGroupBy live = version == null ? groupBys.require(groupBy) : groupBys.require(groupBy, version);
      return new GroupByResolver.Found(live.version(), live.compiled());
    } catch (UnknownGroupByException e) {
      return new GroupByResolver.Missing(version == null ? "unknown GroupBy '" + groupBy + "' (never published, or retired)" : e.getMessage());
    }
  }

  private Compiled compile(PublishedJoin published, Key key, Map<List<Object>, GroupByResolver.Resolution> resolved) {
    // the compiler asks for what the parts name, all resolved above; anything else is resolved as asked
    GroupByResolver resolver = (groupBy, version) -> resolved.computeIfAbsent(Arrays.asList(groupBy, version), k -> resolve(groupBy, version));
    JoinCompileResult result = JoinCompiler.compile(published.definition(), resolver);
    if (!result.ok()) {
      log.warn("Join {} version {} cannot be served with its parts' GroupBys {}: {}", published.name(), published.version(), key.parts(),
          result.problems());
      return new Compiled(key, null, new UnservableJoinException(published.name(), published.version(), result.problems()));
    }
    log.info("Join {} version {} compiled against GroupBy versions {}", published.name(), published.version(), key.parts());
    return new Compiled(key, new ServableJoin(published, result.compiled()), null);
  }
}
