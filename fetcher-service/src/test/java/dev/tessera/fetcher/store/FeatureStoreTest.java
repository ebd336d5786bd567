package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guards around Redis, without a Redis: failures become 503s, the breaker opens, admission is by keys. */
class FeatureStoreTest {
  // nothing listens on port 1: every read is refused, as while Redis is down
  final RedisShards shards = RedisShards.of(new DataRedisConnectionDetails() {
    @Override
    public Standalone getStandalone() {
      return Standalone.of("127.0.0.1", 1);
    }
  }, 4, Duration.ofSeconds(1), Duration.ofSeconds(1), "tessera-fetcher-test");
  final DeadlineWatchdog watchdog = new DeadlineWatchdog(Duration.ofMillis(5));
  final CircuitBreaker breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
      .slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofMinutes(1)).build());
  final TimeLimiter timeLimiter = TimeLimiter.of(Duration.ofMillis(250));
  final KeyBudget budget = new KeyBudget(10);
  final FeatureStore store = new FeatureStore(new JedisReader(shards, watchdog), Bulkhead.of("redis", BulkheadConfig.ofDefaults()),
      budget, Duration.ofMillis(50), breaker, timeLimiter, Duration.ofMillis(1), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

  @AfterEach
  void shutdown() {
    watchdog.close();
    shards.close();
  }

  @Test
  void noConnectionIsStoreUnavailableAndRepeatedFailuresOpenTheBreaker() {
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> store.read("g", 1, List.of(List.of("u")))).isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("Redis at 127.0.0.1:1 cannot be read: java.io.IOException: Failed to connect");
    }
    assertThat(store.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThatThrownBy(() -> store.read("g", 1, List.of(List.of("u")))).isInstanceOf(StoreUnavailableException.class)
        .hasMessage("Redis failed repeatedly; the circuit breaker is open and lets a probe through after 60000 ms");
    assertThat(budget.available()).as("permits are given back").isEqualTo(10);
    assertThat(shards.open()).as("no connection left open").isZero();
  }

  @Test
  void whenTheKeyBudgetIsTakenRequestsWaitThenGetOverloaded() throws Exception {
    int taken = budget.acquire(8, Duration.ZERO);
    assertThatThrownBy(() -> store.read("g", 1, List.of(List.of("a"), List.of("b"), List.of("c"))))
        .isInstanceOf(StoreOverloadedException.class)
        .hasMessage("more than 10 keys are being read; 3 more did not fit within 50 ms; retry shortly");
    assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).as("waiting is not a Redis failure").isZero();
    budget.release(taken);
  }

  @Test
  void aRequestLargerThanTheBudgetTakesAllOfIt() throws Exception {
    assertThat(budget.acquire(50, Duration.ZERO)).isEqualTo(10);
    assertThat(budget.acquire(1, Duration.ZERO)).isEqualTo(-1);
  }

  @Test
  void theTimeLimitGrowsWithTheKeys() {
    assertThat(store.timeLimitNanos(1)).isEqualTo(Duration.ofMillis(250).toNanos());
    assertThat(store.timeLimitNanos(101)).isEqualTo(Duration.ofMillis(350).toNanos());
    assertThat(store.timeLimitNanos(1000)).isEqualTo(Duration.ofMillis(1249).toNanos());
  }
}
