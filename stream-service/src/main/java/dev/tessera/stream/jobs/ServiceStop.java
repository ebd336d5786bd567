package dev.tessera.stream.jobs;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The moment this service begins to stop (SIGTERM, the context closing), seen by the API while the
 * web server drains: a request that waits for Kafka when the stop begins, or starts waiting after
 * it, gets {@link #GRACE} more and is then answered 503 {@code service-stopping} instead of holding
 * the stop for its whole Kafka timeout (issue 21: with the broker gone, one job start held the web
 * server's drain for 10 s).
 */
public final class ServiceStop {
  /** How long a wait that began or goes on during the stop may still take; a healthy broker answers in milliseconds. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private final CompletableFuture<Void> begun = new CompletableFuture<>();

  public void begin() {
    begun.complete(null);
  }

  public boolean begun() {
    return begun.isDone();
  }

  /**
   * {@code work}'s result, waiting at most {@code timeout}, and at most {@link #GRACE} once the stop
   * has begun.
   *
   * @throws JobProblem.ServiceStopping when the stop began and {@code work} did not end within the grace
   * @throws ExecutionException when {@code work} failed
   * @throws TimeoutException when {@code timeout} passed first
   */
  <T> T await(CompletableFuture<T> work, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      CompletableFuture.anyOf(work, begun).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException failed) {
      return work.get(); // only work can fail: rethrows its cause
    }
    if (work.isDone()) return work.get();
    long left = Math.max(0, Math.min(GRACE.toNanos(), deadline - System.nanoTime()));
    try {
      return work.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException stillWaiting) {
      throw new JobProblem.ServiceStopping(true);
    }
  }
}
