package dev.tessera.fetcher.store;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.tessera.fetcher.fetch.FetchMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fetcher's view of Redis: one pipelined read per request, guarded, from the outside in, by a
 * Resilience4j semaphore bulkhead (concurrent reads; with virtual threads a thread pool would only
 * add a hop), a {@link KeyBudget} (keys in flight), a circuit breaker (stops calling a Redis that
 * keeps failing and lets probes through after a pause, so the fetcher recovers by itself) and a
 * time limit per read (a deadline that every socket read of it keeps). Every failure becomes a
 * {@link StoreUnavailableException}, or a {@link StoreOverloadedException} when admission fails: a
 * 503, quickly, never a hang.
 *
 * <p>The time limit is Resilience4j's {@code redis} time limiter's duration for a one-key read plus
 * {@code time-limit-per-key} for each further key (a 1000-key read legitimately takes longer than a
 * one-key read); outcomes are reported to that time limiter, so its metrics and events stay right.
 * The decorators are applied in code rather than by annotations: the order is visible here and no
 * fallback can hide a failure from the breaker.
 */
public final class FeatureStore {
  private final StoreReader reader;
  private final Bulkhead bulkhead;
  private final KeyBudget budget;
  private final Duration admissionWait;
  private final CircuitBreaker breaker;
  private final TimeLimiter timeLimiter;
  private final long perKeyNanos;
  private final DistributionSummary entitiesPerRead;

  FeatureStore(StoreReader reader, Bulkhead bulkhead, KeyBudget budget, Duration admissionWait, CircuitBreaker breaker,
      TimeLimiter timeLimiter, Duration timeLimitPerKey, MeterRegistry meters) {
    this.reader = reader;
    this.bulkhead = bulkhead;
    this.budget = budget;
    this.admissionWait = admissionWait;
    this.breaker = breaker;
    this.timeLimiter = timeLimiter;
    this.perKeyNanos = timeLimitPerKey.toNanos();
    this.entitiesPerRead = FetchMetrics.perRequest(meters, "tessera.fetch.redis.entities", "store", "redis",
        "entities per pipelined Redis round trip (its count: the round trips; a Join's is all its rows' parts, each distinct one once)");
  }

  /**
   * The stored bytes of {@code keys} (key values in key order) of one GroupBy version.
   *
   * @throws StoreUnavailableException when Redis cannot answer in time
   * @throws StoreOverloadedException when too many reads or keys are in flight
   */
  public StoreRead read(String groupBy, int version, List<List<Object>> keys) {
    return guarded(groupBy, keys.size(), deadline -> reader.read(groupBy, version, keys, deadline));
  }

  /**
   * The stored bytes of several GroupBy versions' entities (a Join's parts) in one round trip, one
   * answer per request, admitted and timed as one read of all their keys.
   *
   * @param subject what the read is for (a Join's name), in error messages
   * @throws StoreUnavailableException when Redis cannot answer in time
   * @throws StoreOverloadedException when too many reads or keys are in flight
   */
  public List<StoreRead> read(String subject, List<StoreRequest> requests) {
    int keys = 0;
    for (StoreRequest r : requests) keys += r.keys().size();
    return guarded(subject, keys, deadline -> reader.read(requests, deadline));
  }

  /** A read of the reader's, before a deadline in {@link System#nanoTime()}. */
  @FunctionalInterface
  private interface Read<T> {
    T before(long deadlineNanos) throws Exception;
  }

  private <T> T guarded(String subject, int keys, Read<T> read) {
    entitiesPerRead.record(keys);
    long limit = timeLimitNanos(keys);
    try {
      return bulkhead.executeCallable(() -> {
        int taken = budget.acquire(keys, admissionWait);
        if (taken < 0) {
          throw new StoreOverloadedException("more than " + budget.max() + " keys are being read; " + keys
              + " more did not fit within " + admissionWait.toMillis() + " ms; retry shortly", subject, null);
        }
        try {
          return breaker.executeCallable(() -> readWithin(limit, read));
        } finally {
          budget.release(taken);
        }
      });
    } catch (BulkheadFullException e) {
      throw new StoreOverloadedException("more than " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
          + " fetches are waiting for Redis; retry shortly", subject, e);
    } catch (CallNotPermittedException e) {
      throw new StoreUnavailableException("Redis failed repeatedly; the circuit breaker is open and lets a probe through after "
          + breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) + " ms", subject, e);
    } catch (TimeoutException e) {
      throw new StoreUnavailableException("Redis did not answer within " + TimeUnit.NANOSECONDS.toMillis(limit) + " ms", subject, e);
    } catch (RedisReplyException e) {
      throw new StoreUnavailableException("Redis answered with an error: " + e.getMessage(), subject, e);
    } catch (IOException e) {
      throw new StoreUnavailableException("Redis at " + reader.where() + " cannot be read: " + e, subject, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for Redis", subject, e);
    } catch (StoreUnavailableException | StoreOverloadedException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreUnavailableException("Redis read failed: " + e.getMessage(), subject, e);
    }
  }

  private <T> T readWithin(long limitNanos, Read<T> read) throws Exception {
    T result;
    try {
      result = read.before(System.nanoTime() + limitNanos);
    } catch (SocketTimeoutException e) {
      TimeoutException timeout = new TimeoutException(e.getMessage());
      timeLimiter.onError(timeout);
      throw timeout;
    } catch (Exception e) {
      timeLimiter.onError(e);
      throw e;
    }
    timeLimiter.onSuccess();
    return result;
  }

  /** The configured time limit for one key, plus the per-key allowance for each further key. */
  long timeLimitNanos(int keys) {
    return timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toNanos() + perKeyNanos * Math.max(0, keys - 1);
  }

  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }
}
