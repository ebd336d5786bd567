package dev.tessera.stream.sink;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes tiles to Redis over its own connection, pipelined: commands are queued without flushing
 * the socket, sent in chunks, then awaited together, so a flush of thousands of tiles costs a few
 * round trips. The connection belongs to one stream task (one thread).
 *
 * <p>The {@code r} field of a tiles hash is padded past the server's {@code hash-max-listpack-value}
 * ({@link RedisKeys#padRollupsFrom}): the hash is then a hash table, which the fetcher reads by
 * selection, whatever the server's listpack limits.
 *
 * <p>On a Redis Cluster the connection routes each command to the master of its key's slot; the
 * commands are issued in slot order, all before any is awaited, so each shard gets its share as one
 * pipelined stream. Cluster connections flush every command as it is issued: a manual flush can miss
 * a node connection that is still opening or a command redirected by MOVED/ASK (lettuce#2420), and
 * that command would then wait for its time-out.
 */
public final class RedisTileWriter implements TileWriter {
  /** Entities per socket flush: bounds the bytes queued in the client while keeping round trips few. */
  static final int CHUNK = 512;

  private final AbstractRedisClient client;
  private final byte[] uploadKey;
  private final Duration timeout;
  private final boolean hashTables;
  private StatefulConnection<byte[], byte[]> connection;
  private RedisClusterAsyncCommands<byte[], byte[]> redis;
  /** The length of the {@code r} field's value: past the server's listpack value limit, so that tiles hashes are hash tables. */
  private int rollupsFromLength;

  /**
   * Connects lazily: a task starts (and keeps consuming) while Redis is down; its tiles stay dirty
   * until a flush gets through. The client should reject commands while disconnected
   * ({@link RedisTileWriterFactory} sets that), so a flush fails fast instead of queueing.
   */
  public RedisTileWriter(AbstractRedisClient client, String groupBy, int version, Duration timeout, boolean hashTables) {
    this.client = client;
    this.hashTables = hashTables;
    this.uploadKey = bytes(RedisKeys.uploadKey(groupBy, version));
    this.timeout = timeout;
  }

  private void connect() {
    if (connection != null) return;
    try {
      switch (client) {
        case RedisClusterClient cluster -> {
          StatefulRedisClusterConnection<byte[], byte[]> c = cluster.connect(ByteArrayCodec.INSTANCE);
          if (hashTables) rollupsFromLength = ListpackValueLimit.padTo(c);
          connection = c;
          redis = c.async();
        }
        case RedisClient standalone -> {
          StatefulRedisConnection<byte[], byte[]> c = standalone.connect(ByteArrayCodec.INSTANCE);
          if (hashTables) rollupsFromLength = ListpackValueLimit.padTo(c); // before auto-flush is off: it waits for its replies
          c.setAutoFlushCommands(false);
          connection = c;
          redis = c.async();
        }
        default -> throw new IllegalArgumentException("a standalone or cluster client is needed, not " + client);
      }
    } catch (RuntimeException e) {
      throw new TileWriteException("cannot connect to Redis: " + e.getMessage(), e);
    }
  }

  @Override
  public long write(List<EntityTiles> changes) {
    if (changes.isEmpty()) return 0;
    connect();
    if (connection instanceof StatefulRedisClusterConnection) changes = bySlot(changes);
    List<RedisFuture<?>> futures = new ArrayList<>(changes.size() * 3);
    List<RedisFuture<Long>> deletes = new ArrayList<>();
    try {
      for (int i = 0; i < changes.size(); i++) {
        EntityTiles e = changes.get(i);
        byte[] key = bytes(e.tilesKey());
        if (!e.delete().isEmpty()) {
          byte[][] fields = e.delete().stream().map(RedisTileWriter::bytes).toArray(byte[][]::new);
          RedisFuture<Long> deleted = redis.hdel(key, fields);
          futures.add(deleted);
          deletes.add(deleted);
        }
        if (!e.set().isEmpty()) {
          Map<byte[], byte[]> fields = new HashMap<>(e.set().size() * 2);
          e.set().forEach((field, value) -> fields.put(bytes(field),
              field.equals(RedisKeys.ROLLUPS_FROM_FIELD) ? RedisKeys.padRollupsFrom(value, rollupsFromLength) : value));
          futures.add(redis.hset(key, fields));
          if (e.ttlSeconds() > 0) futures.add(redis.expire(key, e.ttlSeconds()));
        }
        if ((i + 1) % CHUNK == 0) connection.flushCommands();
      }
    } finally {
      connection.flushCommands();
    }
    await(futures);
    long removed = 0;
    for (RedisFuture<Long> d : deletes) {
      Long n = d.toCompletableFuture().getNow(0L); // done: awaited above
      removed += n == null ? 0 : n;
    }
    return removed;
  }

  @Override
  public Long uploadEnd() {
    connect();
    RedisFuture<byte[]> f = redis.get(uploadKey);
    connection.flushCommands();
    await(List.of(f));
    try {
      byte[] v = f.get();
      return v == null ? null : Long.parseLong(new String(v, StandardCharsets.US_ASCII).trim());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TileWriteException("interrupted reading the upload marker", e);
    } catch (ExecutionException | NumberFormatException e) {
      throw new TileWriteException("cannot read the upload marker " + new String(uploadKey, StandardCharsets.UTF_8), e);
    }
  }

  /** The changes in the order of their keys' slots: each shard's commands go out together. */
  private static List<EntityTiles> bySlot(List<EntityTiles> changes) {
    List<EntityTiles> sorted = new ArrayList<>(changes);
    sorted.sort(Comparator.comparingInt(e -> SlotHash.getSlot(e.tilesKey())));
    return sorted;
  }

  private void await(List<RedisFuture<?>> futures) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RedisFuture<?> f : futures) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TileWriteException("interrupted writing tiles", e);
      } catch (ExecutionException e) {
        throw new TileWriteException("Redis refused a tile write: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new TileWriteException("Redis did not answer within " + timeout, e);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (connection != null) connection.closeAsync();
  }
}
