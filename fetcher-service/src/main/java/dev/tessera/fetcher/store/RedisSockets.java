package dev.tessera.fetcher.store;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The fetcher's Redis connections: a read borrows one ({@link #take}), uses it alone and gives it
 * back; one still lent when the read's deadline passes is closed ({@link DeadlineWatchdog}). An
 * idle one is reused (newest first, so that a burst's extra connections go quiet and are closed
 * past {@code maxIdle}); otherwise one is opened. So there are as many connections as
 * reads in flight, bounded by the bulkhead in front ({@link FeatureStore}).
 *
 * <p>Nothing reconnects in the background: while Redis is down, opening fails at once (connection
 * refused) and the read is a quick 503; the circuit breaker then spaces the attempts. When a
 * connection fails, Redis may have restarted and closed every connection: the idle ones are closed
 * too ({@link #discardIdle}).
 */
final class RedisSockets implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RedisSockets.class);

  private final RedisEndpoint endpoint;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<RespConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final DeadlineWatchdog deadlines;
  private volatile boolean running;

  /** @param deadlineTick how often lent connections are checked against their read's deadline */
  RedisSockets(RedisEndpoint endpoint, int maxIdle, Duration deadlineTick) {
    this.endpoint = endpoint;
    this.maxIdle = maxIdle;
    this.deadlines = new DeadlineWatchdog(deadlineTick);
  }

  /** An idle connection, or a new one opened before {@code deadlineNanos}, lent until then. */
  RespConnection take(long deadlineNanos) throws IOException {
    RespConnection c = idle.pollFirst();
    if (c != null) {
      idleCount.decrementAndGet();
      deadlines.lend(c, deadlineNanos);
      return c;
    }
    return openNew(deadlineNanos);
  }

  /** A new connection, never an idle one, lent until {@code deadlineNanos}. */
  RespConnection openNew(long deadlineNanos) throws IOException {
    RespConnection c = RespConnection.open(endpoint, deadlineNanos);
    open.incrementAndGet();
    deadlines.lend(c, deadlineNanos);
    return c;
  }

  /** A connection whose read went well: kept for the next read, or closed when enough are idle. */
  void giveBack(RespConnection c) {
    if (!deadlines.giveBack(c)) {
      // the deadline passed just as the read ended: the watchdog has closed it
      discard(c);
      return;
    }
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
    deadlines.forget(c);
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
    deadlines.close();
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
