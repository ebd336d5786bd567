package dev.tessera.support;

import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry REST half of a lookup, for what the registry topic has not shown: the answer (found
 * or not) is kept for a while ({@link RegistryApi#cacheTtl()}, {@link RegistryApi#missTtl()}). When
 * the registry cannot be asked and the topic has been read to its end, the definition does not
 * exist; before that, nobody can tell ({@link DefinitionsUnavailableException}).
 *
 * @param <T> the definition
 */
final class RestFallback<T> {
  private static final Logger log = LoggerFactory.getLogger(RestFallback.class);

  private record Cached<T>(T value, long expiresAt) {}

  private final String what;
  private final Function<String, Optional<T>> ask;
  private final BooleanSupplier topicCaughtUp;
  private final InstantSource clock;
  private final long cacheTtl;
  private final long missTtl;
  private final Map<String, Cached<T>> cache = new ConcurrentHashMap<>();

  /**
   * @param what the kind of definition, in messages ("GroupBy", "Join version")
   * @param ask the REST call: the definition, or empty when the registry has none
   * @param topicCaughtUp whether the followed topic has been read to its end (null: no topic is followed)
   */
  RestFallback(String what, Function<String, Optional<T>> ask, BooleanSupplier topicCaughtUp, RegistryApi api) {
    this.what = what;
    this.ask = ask;
    this.topicCaughtUp = topicCaughtUp;
    this.clock = api.clock();
    this.cacheTtl = api.cacheTtl().toMillis();
    this.missTtl = api.missTtl().toMillis();
  }

  /**
   * @return the definition, or null when the registry has none
   * @throws DefinitionsUnavailableException when that cannot be told right now
   */
  T get(String key) {
    long now = clock.millis();
    Cached<T> cached = cache.get(key);
    if (cached == null || cached.expiresAt() <= now) cached = askRegistry(key, now);
    return cached.value();
  }

  /** Drops the kept answers about {@code name} (and its versions), e.g. when the topic has news of it. */
  void forget(String name) {
    cache.remove(name);
    cache.keySet().removeIf(k -> k.startsWith(name + "@"));
  }

  private Cached<T> askRegistry(String key, long now) {
    try {
      Optional<T> found = ask.apply(key);
      long ttl = found.isPresent() ? cacheTtl : missTtl;
      Cached<T> c = new Cached<>(found.orElse(null), now + ttl);
      if (ttl > 0) cache.put(key, c);
      found.ifPresent(d -> log.debug("{} {} found through the registry REST API (not on the topic)", what, key));
      return c;
    } catch (RegistryRest.Unavailable e) {
      if (topicCaughtUp != null && topicCaughtUp.getAsBoolean()) {
        // the topic has been read to its end and does not have it: it does not exist
        log.debug("registry REST unusable for {} {} ({}); the topic does not have it either", what, key, e.getMessage());
        return new Cached<>(null, now);
      }
      throw new DefinitionsUnavailableException("cannot tell whether " + what + " '" + key + "' exists: "
          + (topicCaughtUp == null ? "" : "the registry topic is still being read and ") + e.getMessage(), e);
    }
  }
}
