package dev.tessera.fetcher.store;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The fetcher's few long-lived Redis connections, shared by all requests (Lettuce connections are
 * thread-safe and pipeline whatever is written to them; {@link PipelinedReader} writes each
 * request's commands as one batch).
 *
 * <p>Connecting is tried once at start and, if Redis is not there, again in the background until it
 * is: the service starts and answers 503 instead of failing to start. Once connected, Lettuce
 * reconnects by itself after Redis goes away; meanwhile commands are rejected at once
 * ({@code DisconnectedBehavior.REJECT_COMMANDS}), so a fetch fails fast instead of queueing.
 */
public final class RedisConnections implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private final RedisClient client;
  private final RedisURI uri;
  private final int count;
  private final Duration retryMax;
  private final AtomicInteger next = new AtomicInteger();
  private volatile List<StatefulRedisConnection<byte[], byte[]>> connections;
  private volatile boolean running;
  private Thread connector;

  public RedisConnections(RedisClient client, RedisURI uri, int count, Duration retryMax) {
    this.client = client;
    this.uri = uri;
    this.count = count;
    this.retryMax = retryMax;
  }

  /** One of the connections, round robin. */
  StatefulRedisConnection<byte[], byte[]> pick() {
    List<StatefulRedisConnection<byte[], byte[]>> c = connections;
    if (c == null) throw new RedisException("not connected to Redis at " + where() + " yet (retrying in the background)");
    return c.get(Math.floorMod(next.getAndIncrement(), c.size()));
  }

  public String where() {
    return uri.getHost() + ":" + uri.getPort();
  }

  @Override
  public synchronized void start() {
    if (running) return;
    running = true;
    if (!tryConnect(true)) {
      connector = Thread.ofVirtual().name("redis-connector").start(this::connectUntilConnected);
    }
  }

  private void connectUntilConnected() {
    long pause = 100;
    while (running && connections == null) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause = Math.min(pause * 2, retryMax.toMillis());
      tryConnect(false);
    }
  }

  private boolean tryConnect(boolean first) {
    List<StatefulRedisConnection<byte[], byte[]>> opened = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        opened.add(client.connect(ByteArrayCodec.INSTANCE, uri));
      }
      connections = List.copyOf(opened);
      log.info("connected to Redis at {} ({} connections)", where(), count);
      return true;
    } catch (RedisException e) {
      opened.forEach(StatefulRedisConnection::close);
      if (first) log.warn("Redis at {} is not reachable ({}); fetches answer 503 until it is", where(), e.getMessage());
      else log.debug("Redis at {} still not reachable: {}", where(), e.getMessage());
      return false;
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (connector != null) connector.interrupt();
    List<StatefulRedisConnection<byte[], byte[]>> c = connections;
    connections = null;
    if (c != null) c.forEach(StatefulRedisConnection::close);
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
