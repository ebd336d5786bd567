package dev.tessera.fetcher.definitions;

import dev.tessera.support.RegistryFollower;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry REST half of a definition lookup, for names the registry topic has not shown: the
 * registry's answer (found or not) is cached for a while ({@code cacheTtl}, {@code missTtl}). When
 * the registry cannot be asked and the topic has been read to its end, the name does not exist;
 * before that, nobody can tell ({@link DefinitionsUnavailableException}).
 *
 * @param <T> the definition
 */
final class RestFallback<T> {
  private static final Logger log = LoggerFactory.getLogger(RestFallback.class);

  private record Cached<T>(T value, long expiresAt) {}

  private final String what;
  private final Function<String, Optional<T>> ask;
  private final ToIntFunction<T> version;
  private final RegistryFollower follower;
  private final InstantSource clock;
  private final long cacheTtl;
  private final long missTtl;
  private final Map<String, Cached<T>> cache = new ConcurrentHashMap<>();

  /**
   * @param what the kind of definition, in messages ("GroupBy", "Join")
   * @param ask the registry REST call: the definition, or empty when the registry has none
   * @param follower the registry topic follower, or null when the topic is not followed
   */
  RestFallback(String what, Function<String, Optional<T>> ask, ToIntFunction<T> version, RegistryFollower follower, InstantSource clock,
      Duration cacheTtl, Duration missTtl) {
    this.what = what;
    this.ask = ask;
    this.version = version;
    this.follower = follower;
    this.clock = clock;
    this.cacheTtl = cacheTtl.toMillis();
    this.missTtl = missTtl.toMillis();
  }

  /**
   * @return the definition, or null when the registry has none
   * @throws DefinitionsUnavailableException when that cannot be told right now
   */
  T get(String name) {
    long now = clock.millis();
    Cached<T> cached = cache.get(name);
    if (cached == null || cached.expiresAt() <= now) cached = askRegistry(name, now);
    return cached.value();
  }

  /** Drops the cached answer, e.g. when the topic has news of the name. */
  void forget(String name) {
    cache.remove(name);
  }

  private Cached<T> askRegistry(String name, long now) {
    try {
      Optional<T> found = ask.apply(name);
      Cached<T> c = new Cached<>(found.orElse(null), now + (found.isPresent() ? cacheTtl : missTtl));
      cache.put(name, c);
      found.ifPresent(d -> log.info("{} {} version {} found through the registry REST API (not on the topic)", what, name, version.applyAsInt(d)));
      return c;
    } catch (RegistryClient.RegistryUnavailableException e) {
      if (follower != null && follower.isCaughtUp()) {
        // the topic has been read to its end and does not have it: it does not exist
        log.debug("registry REST unusable for {} {} ({}); the topic does not have it either", what, name, e.getMessage());
        return new Cached<>(null, now);
      }
      throw new DefinitionsUnavailableException("cannot tell whether " + what + " '" + name + "' exists: "
          + (follower == null ? "" : "the registry topic is still being read and ") + e.getMessage(), e);
    }
  }
}
