package dev.tessera.fetcher.store;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Connection;

/**
 * Ends the reads that outlive their deadline: every tick it closes the sockets of the lent
 * connections whose deadline has passed, which ends a socket read or write blocked on them with an
 * exception (the connection is then broken and leaves its pool). So a read ends at most one tick
 * after its deadline.
 *
 * <p>Why not a socket timeout per read: a virtual thread that waits with a timeout registers a timer
 * with the scheduler and cancels it on wake-up, on every read that has to wait. At 16 fetches in
 * flight the scheduler's delay thread alone took a tenth of a core on two cores
 * (fetcher-service/README.md "Benchmark"); one thread that looks at the few lent connections every
 * few milliseconds costs next to nothing.
 */
final class DeadlineWatchdog implements AutoCloseable {
  private final Map<Connection, Long> lent = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("redis-deadline-watchdog").daemon().factory());

  DeadlineWatchdog(Duration tick) {
    if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("tick must be positive, was " + tick);
    timer.scheduleWithFixedDelay(this::expire, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A fiftieth of the time limit, between 1 and 10 ms: the 250 ms default gives reads up to 5 ms past it. */
  static Duration tickFor(Duration timeLimit) {
    long micros = Math.clamp(timeLimit.toNanos() / 50_000, 1_000, 10_000);
    return Duration.ofNanos(micros * 1_000);
  }

  /** Watches {@code c} until it is given back: its socket is closed once {@code deadlineNanos} ({@link System#nanoTime()}) passes. */
  void lend(Connection c, long deadlineNanos) {
    lent.put(c, deadlineNanos);
  }

  /** Stops watching {@code c}; false when its deadline passed and it was closed meanwhile. */
  boolean giveBack(Connection c) {
    return lent.remove(c) != null;
  }

  void expire() {
    long now = System.nanoTime();
    for (Map.Entry<Connection, Long> e : lent.entrySet()) {
      if (now - e.getValue() >= 0 && lent.remove(e.getKey(), e.getValue())) {
        try {
          e.getKey().forceDisconnect();
        } catch (IOException | RuntimeException ignored) {
          // closing is all that matters; the blocked read fails either way
        }
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
