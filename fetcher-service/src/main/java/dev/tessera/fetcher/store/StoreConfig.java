package dev.tessera.fetcher.store;

import dev.tessera.fetcher.system.FetcherProperties;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the fetcher's own Lettuce client (from {@code spring.data.redis.*}; Spring Data Redis's
 * client only serves the health check) and the Resilience4j instances named {@code redis}, whose
 * settings and metrics come from the Resilience4j Spring Boot starter.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfig {
  private static final Logger log = LoggerFactory.getLogger(StoreConfig.class);
  /** The Resilience4j instance name: {@code resilience4j.*.instances.redis.*}. */
  static final String INSTANCE = "redis";

  @Bean(destroyMethod = "shutdown")
  ClientResources fetcherRedisResources(FetcherProperties props) {
    return DefaultClientResources.builder()
        // after Redis went away, try again soon: recovery should not wait for a long backoff
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), props.redis().reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  @Bean(destroyMethod = "shutdown")
  RedisClient fetcherRedisClient(ClientResources resources, FetcherProperties props) {
    RedisClient client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // while disconnected, fail commands at once instead of queueing them for later
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(props.redis().connectTimeout()).keepAlive(true).build())
        // no per-command timers: the time limiter bounds every read, and the breaker stops sending
        // to a Redis that does not answer, so commands cannot pile up; a timer per command cost CPU
        .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
        .build());
    return client;
  }

  @Bean
  RedisConnections fetcherRedisConnections(RedisClient client, DataRedisConnectionDetails details, FetcherProperties props) {
    int connections = props.redis().connectionsFor(Runtime.getRuntime().availableProcessors());
    return new RedisConnections(client, redisUri(details), connections, props.redis().reconnectDelayMax());
  }

  @Bean
  FeatureStore featureStore(RedisConnections connections, BulkheadRegistry bulkheads, CircuitBreakerRegistry breakers,
      TimeLimiterRegistry timeLimiters, FetcherProperties props, MeterRegistry meters) {
    CircuitBreaker breaker = breakers.circuitBreaker(INSTANCE);
    breaker.getEventPublisher().onStateTransition(e -> log.warn("Redis circuit breaker {} ({})", e.getStateTransition(),
        breaker.getMetrics().getFailureRate() < 0 ? "no calls yet" : "failure rate " + breaker.getMetrics().getFailureRate() + "%"));
    FetcherProperties.Redis redis = props.redis();
    KeyBudget budget = new KeyBudget(redis.maxKeysInFlight());
    Gauge.builder("tessera.fetch.redis.keys_available", budget, KeyBudget::available)
        .description("keys that may still be read at once before fetches wait (tessera.fetcher.redis.max-keys-in-flight)").register(meters);
    return new FeatureStore(new PipelinedReader(connections), bulkheads.bulkhead(INSTANCE), budget, redis.admissionWait(), breaker,
        timeLimiters.timeLimiter(INSTANCE), redis.timeLimitPerKey());
  }

  static RedisURI redisUri(DataRedisConnectionDetails details) {
    if (details.getCluster() != null || details.getSentinel() != null || details.getMasterReplica() != null) {
      throw new IllegalStateException("spring.data.redis.cluster / sentinel / master-replica: the fetcher reads a standalone "
          + "Redis only (README \"Known limits\"); set spring.data.redis.host and port");
    }
    DataRedisConnectionDetails.Standalone s = details.getStandalone();
    RedisURI.Builder b = RedisURI.builder().withHost(s.getHost()).withPort(s.getPort()).withDatabase(s.getDatabase());
    if (details.getPassword() != null) {
      if (details.getUsername() != null) b.withAuthentication(details.getUsername(), details.getPassword().toCharArray());
      else b.withPassword(details.getPassword().toCharArray());
    }
    if (details.getSslBundle() != null) b.withSsl(true);
    return b.build();
  }
}
