package dev.tessera.stream.sink;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.api.sync.RedisServerCommands;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@code hash-max-listpack-value}: a hash with a value longer than it is a hash table
 * ({@code RedisKeys.padRollupsFrom} says why the tiles hashes are made so). On a cluster the largest
 * of its masters'. A server that refuses {@code CONFIG} (managed Redis) is assumed to keep the
 * default, 64 bytes.
 */
final class ListpackValueLimit {
  private static final Logger log = LoggerFactory.getLogger(ListpackValueLimit.class);
  static final int DEFAULT = 64;
  /** Padding past a larger limit would cost more than the hash table saves: such hashes stay listpacks. */
  static final int MAX_PADDED = 1024;

  private ListpackValueLimit() {}

  /** The length to pad the {@code r} field to: one past the limit, or 0 (no padding) past {@link #MAX_PADDED}. */
  static int padTo(StatefulConnection<byte[], byte[]> connection) {
    int limit = DEFAULT;
    switch (connection) {
      case StatefulRedisClusterConnection<byte[], byte[]> cluster -> {
        limit = 0;
        for (RedisClusterNode node : cluster.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) limit = Math.max(limit, of(cluster.getConnection(node.getNodeId()).sync()));
        }
        if (limit == 0) limit = DEFAULT;
      }
      case StatefulRedisConnection<byte[], byte[]> standalone -> limit = of(standalone.sync());
      default -> { }
    }
    if (limit >= MAX_PADDED) {
      log.warn("Redis has hash-max-listpack-value {}: tiles hashes stay listpacks, which the fetcher reads whole (slower); "
          + "a limit under {} lets them be hash tables", limit, MAX_PADDED);
      return 0;
    }
    return limit + 1;
  }

  private static int of(RedisServerCommands<byte[], byte[]> redis) {
    for (String name : List.of("hash-max-listpack-value", "hash-max-ziplist-value")) {
      try {
        Map<String, String> reply = redis.configGet(name);
        String v = reply == null ? null : reply.get(name);
        if (v != null) return Integer.parseInt(v.trim());
      } catch (RuntimeException e) {
        // CONFIG renamed or refused, or an older name: try the next, then assume the default
      }
    }
    return DEFAULT;
  }
}
