package dev.tessera.stream.sink;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.List;

/**
 * Opens {@link RedisTileWriter}s on one Lettuce client of its own, of a standalone Redis or of a Redis
 * Cluster. The client rejects commands while disconnected (instead of queueing them without bound
 * during an outage) and reconnects by itself; every writer has its own connection, so one task's
 * pipeline never waits on another's. On a cluster the client refreshes its slot map on MOVED/ASK
 * redirections and repeated reconnects (a failover), and every {@link #TOPOLOGY_REFRESH} besides.
 */
public final class RedisTileWriterFactory implements TileWriterFactory, AutoCloseable {
  static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

  private final AbstractRedisClient client;
  private final Duration timeout;
  private final boolean hashTables;

  /** Writers to the standalone Redis at {@code uri}. */
  public RedisTileWriterFactory(RedisURI uri, Duration timeout) {
    this(List.of(uri), false, null, timeout, true);
  }

  /**
   * @param nodes the standalone Redis, or some nodes of the cluster
   * @param ssl TLS settings (from the SSL bundle) for nodes whose URI says TLS, or null for the JDK's defaults
   * @param hashTables pad the {@code r} field of tiles hashes so that they are hash tables ({@link RedisTileWriter})
   */
  public RedisTileWriterFactory(List<RedisURI> nodes, boolean cluster, SslOptions ssl, Duration timeout, boolean hashTables) {
    this.timeout = timeout;
    this.hashTables = hashTables;
    if (cluster) {
      RedisClusterClient c = RedisClusterClient.create(nodes);
      ClusterClientOptions.Builder options = ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
          .enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(TOPOLOGY_REFRESH).build());
      c.setOptions(options(options, ssl, timeout).build());
      client = c;
    } else {
      if (nodes.size() != 1) throw new IllegalArgumentException("a standalone Redis has one address, not " + nodes);
      RedisClient c = RedisClient.create(nodes.getFirst());
      c.setOptions(options(ClientOptions.builder(), ssl, timeout).build());
      client = c;
    }
  }

  private static <B extends ClientOptions.Builder> B options(B builder, SslOptions ssl, Duration timeout) {
    builder.autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout));
    if (ssl != null) builder.sslOptions(ssl);
    return builder;
  }

  @Override
  public TileWriter open(String groupBy, int version) {
    return new RedisTileWriter(client, groupBy, version, timeout, hashTables);
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
