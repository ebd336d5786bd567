package dev.tessera.batch.purge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * Deletes Redis keys by pattern: SCAN (never KEYS, which blocks the server for the whole keyspace)
 * and UNLINK in batches (the memory is freed off the main thread). On a Redis Cluster each master is
 * scanned, since a SCAN only sees its own node's keys; UNLINK of a batch spanning slots is split by
 * slot by the Lettuce cluster client.
 */
final class VersionKeys {
  private final RedisConnectionFactory redis;
  private final int batchSize;

  VersionKeys(RedisConnectionFactory redis, int batchSize) {
    this.redis = redis;
    this.batchSize = batchSize;
  }

  /**
   * Deletes the {@code exact} keys, then every key matching {@code pattern} (SCAN's glob); returns how
   * many existed. {@code afterBatch} runs after each UNLINK of at least one key.
   */
  long delete(String pattern, List<String> exact, Runnable afterBatch) {
    try (RedisConnection c = redis.getConnection()) {
      ScanOptions options = ScanOptions.scanOptions().match(pattern).count(batchSize).build();
      long deleted = unlink(c, exact.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList(), afterBatch);
      if (c instanceof RedisClusterConnection cluster) {
        for (RedisClusterNode node : cluster.clusterGetNodes()) {
          if (node.isMaster()) deleted += unlinkAll(c, cluster.scan(node, options), afterBatch);
        }
      } else {
        deleted += unlinkAll(c, c.keyCommands().scan(options), afterBatch);
      }
      return deleted;
    }
  }

  private long unlinkAll(RedisConnection c, Cursor<byte[]> keys, Runnable afterBatch) {
    long deleted = 0;
    try (keys) {
      List<byte[]> batch = new ArrayList<>(batchSize);
      while (keys.hasNext()) {
        batch.add(keys.next());
        if (batch.size() == batchSize) {
          deleted += unlink(c, batch, afterBatch);
          batch.clear();
        }
      }
      return deleted + unlink(c, batch, afterBatch);
    }
  }

  private static long unlink(RedisConnection c, List<byte[]> keys, Runnable afterBatch) {
    if (keys.isEmpty()) return 0;
    Long n = c.keyCommands().unlink(keys.toArray(byte[][]::new));
    afterBatch.run();
    return n == null ? 0 : n;
  }
}
