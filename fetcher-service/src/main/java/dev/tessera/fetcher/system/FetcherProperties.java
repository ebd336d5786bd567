package dev.tessera.fetcher.system;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code tessera.fetcher.*} setting, checked when the service starts: a bad value stops it
 * with the property's name in the message (README "Configuration" lists them all). Resilience4j's
 * time limit, circuit breaker and bulkhead around Redis are set under {@code resilience4j.*} for the
 * instance {@code redis} (application.yml), Redis itself under {@code spring.data.redis.*} and
 * Kafka under {@code spring.kafka.*}.
 *
 * @param maxKeysPerRequest keys one request may ask for; more is a 400
 * @param auth who may fetch ({@code /v1/**}): {@code registry} (recommended: any account or API token
 *     of the registry, checked as batch and stream check theirs), {@code keys} (one of
 *     {@code apiKeys}) or {@code none}; by default {@code keys} when keys are set, else {@code none}
 * @param apiKeys the static keys of {@code auth=keys}, sent in {@code X-API-Key}
 * @param observeFetchRequests also record fetch requests in Spring's {@code http.server.requests};
 *     off by default, as {@code tessera.fetch.*} covers them and the observation costs throughput
 */
@ConfigurationProperties("tessera.fetcher")
public record FetcherProperties(
    @DefaultValue("1000") int maxKeysPerRequest,
    Auth auth,
    List<String> apiKeys,
    @DefaultValue("false") boolean observeFetchRequests,
    @DefaultValue Registry registry,
    @DefaultValue Redis redis,
    @DefaultValue FeatureLog featureLog) {

  private static final String P = "tessera.fetcher.";

  public FetcherProperties {
    require(maxKeysPerRequest >= 1 && maxKeysPerRequest <= 100_000, "max-keys-per-request", "must be between 1 and 100000", maxKeysPerRequest);
    apiKeys = apiKeys == null ? List.of() : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    for (String k : apiKeys) {
      require(k.length() >= 16, "api-keys", "every key must have at least 16 characters (a guessable key is no protection)", k.length() + " characters");
    }
    if (auth == null) auth = apiKeys.isEmpty() ? Auth.NONE : Auth.KEYS;
    require(auth != Auth.KEYS || !apiKeys.isEmpty(), "auth", "keys needs tessera.fetcher.api-keys", auth);
    // one way in at a time: keys left behind when switching to the registry would be a second, forgotten door
    require(auth != Auth.REGISTRY || apiKeys.isEmpty(), "api-keys", "must be empty with auth=registry (the registry's API tokens replace them)",
        apiKeys.size() + " keys");
  }

  /** Who may fetch (README "Security"). */
  public enum Auth {
    /** Anyone who reaches the port (a private network, or a proxy that authenticates). */
    NONE,
    /** A request with one of {@code tessera.fetcher.api-keys} in {@code X-API-Key}. */
    KEYS,
    /** A request with a registry account (HTTP Basic) or API token, any role (README "Security"). */
    REGISTRY
  }

  /**
   * Where GroupBy definitions come from.
   *
   * @param followTopic follow the compacted registry topic (the normal source); false: REST only
   * @param topic the registry topic
   * @param url the registry service, asked for a GroupBy the topic has not shown yet
   * @param timeout connect and read time limit of one registry REST call
   * @param cacheTtl how long a definition found over REST is used before asking again
   * @param missTtl how long "the registry does not know this name" is remembered
   */
  public record Registry(
      @DefaultValue("true") boolean followTopic,
      @DefaultValue("tessera.registry") String topic,
      @DefaultValue("http://localhost:8081") URI url,
      @DefaultValue("2s") Duration timeout,
      @DefaultValue("30s") Duration cacheTtl,
      @DefaultValue("5s") Duration missTtl) {
    public Registry {
      require(topic != null && !topic.isBlank(), "registry.topic", "must not be empty", topic);
      require(url != null && url.isAbsolute() && ("http".equals(url.getScheme()) || "https".equals(url.getScheme())),
          "registry.url", "must be an absolute http(s) URL", url);
      requirePositive(timeout, "registry.timeout");
      requirePositive(cacheTtl, "registry.cache-ttl");
      requirePositive(missTtl, "registry.miss-ttl");
    }
  }

  /**
   * The fetcher's own Redis connections (addresses, cluster nodes, credentials, TLS bundle:
   * {@code spring.data.redis.*}). A read borrows a connection of its own per shard it reads from.
   *
   * @param maxIdleConnections connections per shard kept open between reads; beyond, a connection given back is closed
   * @param connectTimeout time limit of one connection attempt
   * @param maxKeysInFlight keys being read and decoded at once, over all requests; more wait
   * @param admissionWait how long a request waits for room under {@code maxKeysInFlight} before a 503
   * @param timeLimitPerKey added to the time limit of a read for each key after the first
   */
  public record Redis(
      @DefaultValue("64") int maxIdleConnections,
      @DefaultValue("1s") Duration connectTimeout,
      @DefaultValue("512") int maxKeysInFlight,
      @DefaultValue("1s") Duration admissionWait,
      @DefaultValue("1ms") Duration timeLimitPerKey) {
    public Redis {
      require(maxIdleConnections >= 0 && maxIdleConnections <= 10_000, "redis.max-idle-connections", "must be between 0 and 10000",
          maxIdleConnections);
      requirePositive(connectTimeout, "redis.connect-timeout");
      require(maxKeysInFlight >= 1 && maxKeysInFlight <= 1_000_000, "redis.max-keys-in-flight", "must be between 1 and 1000000", maxKeysInFlight);
      requirePositive(admissionWait, "redis.admission-wait");
      require(timeLimitPerKey != null && !timeLimitPerKey.isNegative(), "redis.time-limit-per-key", "must be a duration >= 0", timeLimitPerKey);
    }
  }

  /**
   * The sampled log of served values for the online/offline consistency check (README "Feature log").
   *
   * @param sampleRate share of successful results logged, 0 (off) to 1 (all)
   * @param topic Kafka topic of the records
   * @param queueCapacity records waiting to be sent; when full, new ones are dropped and counted
   */
  public record FeatureLog(
      @DefaultValue("0") double sampleRate,
      @DefaultValue("tessera.feature-log") String topic,
      @DefaultValue("10000") int queueCapacity) {
    public FeatureLog {
      require(sampleRate >= 0 && sampleRate <= 1, "feature-log.sample-rate", "must be between 0 and 1", sampleRate);
      require(topic != null && !topic.isBlank(), "feature-log.topic", "must not be empty", topic);
      require(queueCapacity >= 1 && queueCapacity <= 10_000_000, "feature-log.queue-capacity", "must be between 1 and 10000000", queueCapacity);
    }

    public boolean enabled() {
      return sampleRate > 0;
    }
  }

  private static void require(boolean ok, String property, String rule, Object value) {
    if (!ok) throw new IllegalArgumentException(P + property + " " + rule + ", was: " + value);
  }

  private static void requirePositive(Duration d, String property) {
    require(d != null && d.isPositive(), property, "must be a positive duration (e.g. 250ms, 2s)", d);
  }
}
