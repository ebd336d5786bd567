package dev.tessera.fetcher.store;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admission control by work, not by calls: at most {@code max} keys are being read from Redis and
 * decoded at once. A 100-key fetch costs a hundred single-key fetches (each key brings a batch IR
 * and hundreds of tiles to decode), so a bulkhead counting calls alone lets a few large requests
 * swamp the event loops; then every read overruns its time limit, the breaker opens and nothing is
 * served. With a budget, excess requests wait (bounded) before they start, reads in flight finish
 * in time, throughput stays at capacity and only the excess gets a 503. Fair, so that large
 * requests are not starved by small ones.
 */
final class KeyBudget {
  private final int max;
  private final Semaphore permits;

  KeyBudget(int max) {
    this.max = max;
    this.permits = new Semaphore(max, true);
  }

  /**
   * @return the permits taken (a request larger than the whole budget takes all of it), or -1
   *     when they were not free within {@code wait}
   */
  int acquire(int keys, Duration wait) throws InterruptedException {
    int n = Math.min(Math.max(keys, 1), max);
    return permits.tryAcquire(n, wait.toNanos(), TimeUnit.NANOSECONDS) ? n : -1;
  }

  void release(int taken) {
    permits.release(taken);
  }

  int max() {
    return max;
  }

  int available() {
    return permits.availablePermits();
  }
}
