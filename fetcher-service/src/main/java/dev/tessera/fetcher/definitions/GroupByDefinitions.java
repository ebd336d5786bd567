package dev.tessera.fetcher.definitions;

import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live GroupBy definitions the fetcher serves. The registry topic, followed from its beginning,
 * is the source ({@link RegistryFollower}: every publication and retirement arrives there, compiled
 * once). A name the follower does not know is asked of the registry REST API, whose answer (found
 * or not) is cached for a while; a later change of that name on the topic drops the cached answer,
 * so a retired GroupBy is not kept alive by the cache.
 */
public final class GroupByDefinitions {
  private static final Logger log = LoggerFactory.getLogger(GroupByDefinitions.class);
  /** DESIGN.md: GroupBy names are {@code [a-z][a-z0-9_]{0,62}}; anything else cannot exist. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private record Cached(LiveGroupBy live, long expiresAt) {}

  private final RegistryFollower follower;
  private final RegistryClient registry;
  private final InstantSource clock;
  private final long cacheTtl;
  private final long missTtl;
  private final Map<String, Cached> fromRest = new ConcurrentHashMap<>();

  /** @param follower the registry topic follower, or null to rely on the REST API alone */
  public GroupByDefinitions(RegistryFollower follower, RegistryClient registry, InstantSource clock, Duration cacheTtl, Duration missTtl) {
    this.follower = follower;
    this.registry = registry;
    this.clock = clock;
    this.cacheTtl = cacheTtl.toMillis();
    this.missTtl = missTtl.toMillis();
    if (follower != null) follower.addListener((name, live) -> fromRest.remove(name));
  }

  /**
   * @throws UnknownGroupByException when there is no live GroupBy of that name
   * @throws DefinitionsUnavailableException when that cannot be told right now
   */
  public LiveGroupBy require(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new UnknownGroupByException(name, "GroupBy names match [a-z][a-z0-9_]{0,62}");
    }
    if (follower != null) {
      Optional<LiveGroupBy> live = follower.get(name);
      if (live.isPresent()) return live.get();
    }
    long now = clock.millis();
    Cached cached = fromRest.get(name);
    if (cached == null || cached.expiresAt() <= now) cached = askRegistry(name, now);
    if (cached.live() == null) throw new UnknownGroupByException(name, null);
    return cached.live();
  }

  private Cached askRegistry(String name, long now) {
    try {
      Optional<LiveGroupBy> live = registry.latest(name);
      Cached c = new Cached(live.orElse(null), now + (live.isPresent() ? cacheTtl : missTtl));
      fromRest.put(name, c);
      live.ifPresent(l -> log.info("GroupBy {} version {} found through the registry REST API (not on the topic yet)", name, l.version()));
      return c;
    } catch (RegistryClient.RegistryUnavailableException e) {
      if (follower != null && follower.isCaughtUp()) {
        // the topic has been read to its end and does not have it: it does not exist
        log.debug("registry REST unusable for {} ({}); the topic does not have it either", name, e.getMessage());
        return new Cached(null, now);
      }
      throw new DefinitionsUnavailableException("cannot tell whether GroupBy '" + name + "' exists: "
          + (follower == null ? "" : "the registry topic is still being read and ") + e.getMessage(), e);
    }
  }
}
