package dev.tessera.fetcher.store;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The fetcher's Redis connections: a read borrows one ({@link #take}), uses it alone and gives it
 * back. An idle one is reused (newest first, so that a burst's extra connections go quiet and are
 * closed past {@code maxIdle}); otherwise one is opened. So there are as many connections as
 * reads in flight, bounded by the bulkhead in front ({@link FeatureStore}).
 *
 * <p>Nothing reconnects in the background: while Redis is down, opening fails at once (connection
 * refused) and the read is a quick 503; the circuit breaker then spaces the attempts. When a
 * connection fails, Redis may have restarted and closed every connection: the idle ones are closed
 * too ({@link #discardIdle}).
 */
final class RedisSockets implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RedisSockets.class);
  /** Requests up to this size fit in any socket send buffer: their write never blocks. */
  static final int WATCHED_WRITE = 32 * 1024;

  private final RedisEndpoint endpoint;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<RespConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("redis-write-watchdog").daemon().factory());
  private volatile boolean running;

  RedisSockets(RedisEndpoint endpoint, int maxIdle) {
    this.endpoint = endpoint;
    this.maxIdle = maxIdle;
  }

  /** An idle connection, or a new one opened before {@code deadlineNanos}. */
  RespConnection take(long deadlineNanos) throws IOException {
    RespConnection c = idle.pollFirst();
    if (c != null) {
      idleCount.decrementAndGet();
      return c;
    }
    return openNew(deadlineNanos);
  }

  /** A new connection, never an idle one. */
  RespConnection openNew(long deadlineNanos) throws IOException {
    RespConnection c = RespConnection.open(endpoint, deadlineNanos);
    open.incrementAndGet();
    return c;
  }

  /** A connection whose read went well: kept for the next read, or closed when enough are idle. */
  void giveBack(RespConnection c) {
    c.markReused();
    if (running && idleCount.get() < maxIdle) {
      idleCount.incrementAndGet();
      idle.offerFirst(c);
      // stop() may have drained the idle ones meanwhile: do not leave this one behind
      if (!running && idle.remove(c)) {
        idleCount.decrementAndGet();
        discard(c);
      }
    } else {
      discard(c);
    }
  }

  /** A connection in an unknown state (I/O failed, time ran out): closed. */
  void discard(RespConnection c) {
    c.close();
    open.decrementAndGet();
  }

  /** Closes the idle connections: after one failed, the others are likely dead too (Redis restarted). */
  void discardIdle() {
    RespConnection c;
    while ((c = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      discard(c);
    }
  }

  /**
   * Writes {@code c}'s queued commands. A large request could fill the socket's send buffer of a
   * Redis that stopped reading and block past the deadline: it is watched, and the connection
   * closed at the deadline, which ends the write with an exception.
   */
  void flush(RespConnection c, long deadlineNanos) throws IOException {
    if (c.pending() <= WATCHED_WRITE) {
      c.flush(deadlineNanos);
      return;
    }
    ScheduledFuture<?> guard = watchdog.schedule(c::close, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    try {
      c.flush(deadlineNanos);
    } finally {
      guard.cancel(false);
    }
  }

  int open() {
    return open.get();
  }

  String where() {
    return endpoint.where();
  }

  /** Opens one connection at start, so that an unreachable Redis shows in the log at once (the service starts anyway). */
  @Override
  public void start() {
    running = true;
    try {
      giveBack(openNew(System.nanoTime() + endpoint.connectTimeout().toNanos()));
      log.info("connected to Redis at {}", endpoint.where());
    } catch (IOException | RuntimeException e) {
      log.warn("Redis at {} is not reachable ({}); fetches answer 503 until it is", endpoint.where(), e.toString());
    }
  }

  @Override
  public void stop() {
    running = false;
    discardIdle();
    watchdog.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the web server starts taking requests, after it stops. */
  @Override
  public int getPhase() {
    return 0;
  }
}
