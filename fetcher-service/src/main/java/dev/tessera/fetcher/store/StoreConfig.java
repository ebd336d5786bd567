package dev.tessera.fetcher.store;

import dev.tessera.fetcher.system.FetcherProperties;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the fetcher's own Redis connections (Jedis pools per shard, from {@code spring.data.redis.*}:
 * a standalone Redis or {@code spring.data.redis.cluster.nodes}, TLS from {@code spring.data.redis.ssl.bundle}),
 * the health check on them, and the Resilience4j instances named {@code redis}, whose settings and
 * metrics come from the Resilience4j Spring Boot starter.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfig {
  private static final Logger log = LoggerFactory.getLogger(StoreConfig.class);
  /** The Resilience4j instance name: {@code resilience4j.*.instances.redis.*}. */
  static final String INSTANCE = "redis";

  @Bean
  RedisShards fetcherRedisShards(DataRedisConnectionDetails details, FetcherProperties props, TimeLimiterRegistry timeLimiters,
      MeterRegistry meters) {
    FetcherProperties.Redis redis = props.redis();
    // a new connection's login must fit in a one-key read's time limit; reads themselves end at their deadline (watchdog)
    RedisShards shards = RedisShards.of(details, redis.maxIdleConnections(), redis.connectTimeout(), timeLimit(timeLimiters),
        "tessera-fetcher");
    shards.warmUp();
    Gauge.builder("tessera.fetch.redis.connections", shards, RedisShards::open)
        .description("connections to the feature Redis (all shards), idle and in use").register(meters);
    return shards;
  }

  @Bean
  DeadlineWatchdog fetcherDeadlineWatchdog(TimeLimiterRegistry timeLimiters) {
    return new DeadlineWatchdog(DeadlineWatchdog.tickFor(timeLimit(timeLimiters)));
  }

  /** Replaces Spring Boot's Lettuce health check (same bean name): health asks the shards over the fetches' own pools. */
  @Bean
  @ConditionalOnEnabledHealthIndicator("redis")
  HealthIndicator redisHealthIndicator(RedisShards shards) {
    return new StoreHealthIndicator(shards);
  }

  @Bean
  FeatureStore featureStore(RedisShards shards, DeadlineWatchdog watchdog, BulkheadRegistry bulkheads, CircuitBreakerRegistry breakers,
      TimeLimiterRegistry timeLimiters, FetcherProperties props, MeterRegistry meters) {
    CircuitBreaker breaker = breakers.circuitBreaker(INSTANCE);
    breaker.getEventPublisher().onStateTransition(e -> log.warn("Redis circuit breaker {} ({})", e.getStateTransition(),
        breaker.getMetrics().getFailureRate() < 0 ? "no calls yet" : "failure rate " + breaker.getMetrics().getFailureRate() + "%"));
    FetcherProperties.Redis redis = props.redis();
    KeyBudget budget = new KeyBudget(redis.maxKeysInFlight());
    Gauge.builder("tessera.fetch.redis.keys_available", budget, KeyBudget::available)
        .description("keys that may still be read at once before fetches wait (tessera.fetcher.redis.max-keys-in-flight)").register(meters);
    HashLimits limits = shards.hashLimits();
    // the stream pads each tiles hash's r field past the value limit, so its hashes are hash tables, read by selection
    log.info("Redis keeps hashes of up to {} fields and values of up to {} bytes as listpacks: tiles hashes of that shape are read whole",
        limits.listpackEntries(), limits.listpackValue());
    return new FeatureStore(new JedisReader(shards, watchdog, limits), bulkheads.bulkhead(INSTANCE), budget, redis.admissionWait(), breaker,
        timeLimiters.timeLimiter(INSTANCE), redis.timeLimitPerKey(), meters);
  }

  private static Duration timeLimit(TimeLimiterRegistry timeLimiters) {
    return timeLimiters.timeLimiter(INSTANCE).getTimeLimiterConfig().getTimeoutDuration();
  }
}
