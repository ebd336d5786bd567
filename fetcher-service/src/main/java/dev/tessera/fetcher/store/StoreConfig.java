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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the fetcher's own Redis connections (from {@code spring.data.redis.*}; Spring Data Redis's
 * Lettuce client only serves the health check) and the Resilience4j instances named {@code redis}, whose
 * settings and metrics come from the Resilience4j Spring Boot starter.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfig {
  private static final Logger log = LoggerFactory.getLogger(StoreConfig.class);
  /** The Resilience4j instance name: {@code resilience4j.*.instances.redis.*}. */
  static final String INSTANCE = "redis";

  @Bean
  RedisSockets fetcherRedisSockets(DataRedisConnectionDetails details, FetcherProperties props, TimeLimiterRegistry timeLimiters,
      MeterRegistry meters) {
    Duration timeLimit = timeLimiters.timeLimiter(INSTANCE).getTimeLimiterConfig().getTimeoutDuration();
    RedisSockets sockets = new RedisSockets(endpoint(details, props.redis().connectTimeout()), props.redis().maxIdleConnections(),
        DeadlineWatchdog.tickFor(timeLimit));
    Gauge.builder("tessera.fetch.redis.connections", sockets, RedisSockets::open)
        .description("connections to the feature Redis, idle and in use").register(meters);
    return sockets;
  }

  @Bean
  FeatureStore featureStore(RedisSockets sockets, BulkheadRegistry bulkheads, CircuitBreakerRegistry breakers,
      TimeLimiterRegistry timeLimiters, FetcherProperties props, MeterRegistry meters) {
    CircuitBreaker breaker = breakers.circuitBreaker(INSTANCE);
    breaker.getEventPublisher().onStateTransition(e -> log.warn("Redis circuit breaker {} ({})", e.getStateTransition(),
        breaker.getMetrics().getFailureRate() < 0 ? "no calls yet" : "failure rate " + breaker.getMetrics().getFailureRate() + "%"));
    FetcherProperties.Redis redis = props.redis();
    KeyBudget budget = new KeyBudget(redis.maxKeysInFlight());
    Gauge.builder("tessera.fetch.redis.keys_available", budget, KeyBudget::available)
        .description("keys that may still be read at once before fetches wait (tessera.fetcher.redis.max-keys-in-flight)").register(meters);
    return new FeatureStore(new PipelinedReader(sockets), bulkheads.bulkhead(INSTANCE), budget, redis.admissionWait(), breaker,
        timeLimiters.timeLimiter(INSTANCE), redis.timeLimitPerKey(), meters);
  }

  static RedisEndpoint endpoint(DataRedisConnectionDetails details, Duration connectTimeout) {
    if (details.getCluster() != null || details.getSentinel() != null || details.getMasterReplica() != null) {
      throw new IllegalStateException("spring.data.redis.cluster / sentinel / master-replica: the fetcher reads a standalone "
          + "Redis only (README \"Known limits\"); set spring.data.redis.host and port");
    }
    DataRedisConnectionDetails.Standalone s = details.getStandalone();
    String password = details.getPassword();
    String username = password == null ? null : details.getUsername();
    return new RedisEndpoint(s.getHost(), s.getPort(), username, password, s.getDatabase(), details.getSslBundle() != null, connectTimeout);
  }
}
