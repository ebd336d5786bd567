package dev.tessera.batch.upload;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.core.types.Expiration;

/**
 * The Redis write of an upload chunk: per entity, SET of its encoded batch IR or DEL (value null),
 * pipelined. On a standalone Redis, Spring Data Redis's pipeline (flushed every
 * {@code tessera.batch.upload.pipeline} commands). On a Redis Cluster, whose Spring Data connection
 * does not pipeline (spring-data-redis#2888), on Lettuce's cluster connection: the writes are issued in
 * slot order, all before any is awaited, so each shard receives its share as one pipelined stream, and
 * Lettuce follows MOVED/ASK and refreshes the slot map after a failover.
 */
final class BatchIrWrites {
  record Write(byte[] key, byte[] value) {}

  private final RedisConnectionFactory redis;
  private final Duration ttl;
  private final Duration timeout;

  /**
   * @param ttl time to live of each batch IR, zero for none
   * @param timeout how long a cluster write of one chunk may take
   */
  BatchIrWrites(RedisConnectionFactory redis, Duration ttl, Duration timeout) {
    this.redis = redis;
    this.ttl = ttl;
    this.timeout = timeout;
  }

  void write(List<Write> writes) {
    try (RedisConnection c = redis.getConnection()) {
      if (c instanceof LettuceClusterConnection cluster) writeOnCluster(cluster.getNativeConnection(), writes);
      else if (c instanceof RedisClusterConnection) throw new IllegalStateException("a Redis Cluster is written through Lettuce only");
      else pipeline(c, writes);
    }
  }

  private void pipeline(RedisConnection c, List<Write> writes) {
    Expiration expiration = ttl.isZero() ? Expiration.persistent() : Expiration.from(ttl);
    c.openPipeline();
    for (Write w : writes) {
      if (w.value() == null) c.keyCommands().del(w.key());
      else c.stringCommands().set(w.key(), w.value(), expiration, RedisStringCommands.SetOption.upsert());
    }
    c.closePipeline();
  }

  private void writeOnCluster(RedisClusterAsyncCommands<byte[], byte[]> redis, List<Write> writes) {
    List<Write> bySlot = new ArrayList<>(writes);
    bySlot.sort(Comparator.comparingInt(w -> SlotHash.getSlot(w.key())));
    SetArgs args = ttl.isZero() ? null : SetArgs.Builder.px(ttl.toMillis());
    List<RedisFuture<?>> sent = new ArrayList<>(bySlot.size());
    for (Write w : bySlot) {
      if (w.value() == null) sent.add(redis.del(w.key()));
      else sent.add(args == null ? redis.set(w.key(), w.value()) : redis.set(w.key(), w.value(), args));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RedisFuture<?> f : sent) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted writing batch IRs to the Redis Cluster", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the Redis Cluster refused a batch IR write: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("the Redis Cluster did not confirm " + sent.size() + " batch IR writes within " + timeout, e);
      }
    }
  }
}
