package dev.tessera.fetcher.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.Pool;

/**
 * The feature Redis as Jedis connection pools, one per shard, from {@code spring.data.redis.*} (the
 * same settings Spring Boot's Lettuce client reads): a standalone Redis is one shard; a Redis Cluster
 * ({@code spring.data.redis.cluster.nodes}) one per master, found through the cluster's slot map.
 * TLS with the SSL bundle's trust and key material ({@code spring.data.redis.ssl.bundle}).
 */
final class RedisShards implements AutoCloseable {
  private final ClusterConnectionProvider cluster;
  private final PooledConnectionProvider standalone;
  private final HostAndPort standaloneNode;
  private final String where;

  private RedisShards(ClusterConnectionProvider cluster, PooledConnectionProvider standalone, HostAndPort standaloneNode, String where) {
    this.cluster = cluster;
    this.standalone = standalone;
    this.standaloneNode = standaloneNode;
    this.where = where;
  }

  /**
   * @param maxIdleConnections connections per shard kept open between reads (a read uses one per shard of its own)
   * @param handshakeTimeout how long a new connection may take to log in and name itself; a connection
   *     lent to a read has no socket timeout (the watchdog ends the read at its deadline)
   * @param clientName the connections' name in Redis ({@code CLIENT LIST})
   */
  static RedisShards of(DataRedisConnectionDetails details, int maxIdleConnections, Duration connectTimeout, Duration handshakeTimeout,
      String clientName) {
    if (details.getSentinel() != null || details.getMasterReplica() != null) {
      throw new IllegalStateException("spring.data.redis.sentinel / master-replica: the fetcher reads a standalone Redis or a Redis "
          + "Cluster (spring.data.redis.cluster.nodes)");
    }
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
        .socketTimeoutMillis(Math.toIntExact(handshakeTimeout.toMillis()))
        .user(details.getPassword() == null ? null : details.getUsername())
        .password(details.getPassword())
        .clientName(clientName);
    SslBundle ssl = details.getSslBundle();
    if (ssl != null) config.ssl(true).sslSocketFactory(ssl.createSslContext().getSocketFactory());
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(-1); // reads in flight are bounded by the bulkhead
    pool.setMaxIdle(maxIdleConnections);
    pool.setJmxEnabled(false);
    if (details.getCluster() != null) {
      Set<HostAndPort> seeds = new LinkedHashSet<>();
      for (DataRedisConnectionDetails.Node n : details.getCluster().getNodes()) seeds.add(new HostAndPort(n.host(), n.port()));
      return new RedisShards(new ClusterConnectionProvider(seeds, config.build(), pool), null, null,
          "the Redis Cluster of " + seeds.stream().map(HostAndPort::toString).collect(Collectors.joining(",")));
    }
    DataRedisConnectionDetails.Standalone s = details.getStandalone();
    HostAndPort node = new HostAndPort(s.getHost(), s.getPort());
    return new RedisShards(null, new PooledConnectionProvider(node, config.database(s.getDatabase()).build(), pool), node, node.toString());
  }

  String where() {
    return where;
  }

  /** The node that serves {@code key}: the standalone Redis (no slot to compute), or the master of its slot. */
  HostAndPort nodeOf(byte[] key) {
    return cluster == null ? standaloneNode : nodeOf(JedisClusterCRC16.getSlot(key));
  }

  /** The node that serves {@code slot}: the standalone Redis, or the master of the slot as the slot map says. */
  HostAndPort nodeOf(int slot) {
    if (cluster == null) return standaloneNode;
    HostAndPort node = cluster.getNode(slot);
    if (node == null) {
      cluster.renewSlotCache();
      node = cluster.getNode(slot);
      if (node == null) throw new JedisConnectionException("no master of " + where + " serves slot " + slot);
    }
    return node;
  }

  /** A connection to {@code node} from its pool, for a read the watchdog ends; {@link Connection#close()} gives it back. */
  Connection connection(HostAndPort node) {
    Connection c = cluster == null ? standalone.getConnection() : cluster.getConnection(node);
    // no timer per blocking socket read (DeadlineWatchdog says why); set once per connection
    if (c.getSoTimeout() != 0) c.setSoTimeout(0);
    return c;
  }

  /** After a redirection or a failed connection: re-reads the slot map and drops idle connections (they may be to a dead node). */
  void renew() {
    if (cluster != null) cluster.renewSlotCache();
    for (Pool<Connection> p : pools()) p.clear();
  }

  /** The shards' addresses: the masters, or the standalone Redis. */
  List<HostAndPort> nodes() {
    if (cluster == null) return List.of(standaloneNode);
    return cluster.getPrimaryNodes().keySet().stream().map(HostAndPort::from).toList();
  }

  /** Opens a connection to every shard, so that the first fetches need not (best effort: a shard that is down is skipped). */
  void warmUp() {
    for (HostAndPort node : nodes()) {
      try (Connection c = connection(node)) {
        c.ping();
      } catch (RuntimeException e) {
        // the first read will connect, or fail and answer 503
      }
    }
  }

  /** The listpack limits of the first shard (shards of one deployment share a configuration), or Redis's defaults. */
  HashLimits hashLimits() {
    try (Connection c = connection(nodes().getFirst())) {
      return HashLimits.of(c);
    } catch (RuntimeException e) {
      return HashLimits.DEFAULTS;
    }
  }

  /** Connections open, idle and in use, over all shards. */
  int open() {
    int n = 0;
    for (Pool<Connection> p : pools()) n += p.getNumActive() + p.getNumIdle();
    return n;
  }

  private Collection<? extends Pool<Connection>> pools() {
    if (cluster == null) return List.of(standalone.getPool());
    return new ArrayList<>(cluster.getNodes().values());
  }

  @Override
  public void close() {
    if (cluster != null) cluster.close();
    else standalone.close();
  }
}
