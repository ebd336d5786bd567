package dev.tessera.fetcher.store;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;

/**
 * {@code redis} in {@code /actuator/health}: a PING to every shard over the fetches' own connection
 * pools (same addresses, credentials and TLS bundle), so health says DOWN exactly when fetches cannot
 * reach a shard. It replaces Spring Boot's Lettuce health check, which used a second client.
 */
final class StoreHealthIndicator implements HealthIndicator {
  private final RedisShards shards;

  StoreHealthIndicator(RedisShards shards) {
    this.shards = shards;
  }

  @Override
  public Health health() {
    Map<String, Object> nodes = new LinkedHashMap<>();
    boolean up = true;
    for (HostAndPort node : shards.nodes()) {
      try (Connection c = shards.connection(node)) {
        boolean pong = c.ping();
        nodes.put(node.toString(), pong ? "PONG" : "no PONG");
        up &= pong;
      } catch (RuntimeException e) {
        nodes.put(node.toString(), e.getMessage());
        up = false;
      }
    }
    return (up ? Health.up() : Health.down()).withDetail("where", shards.where()).withDetail("shards", nodes).build();
  }
}
