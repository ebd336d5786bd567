package dev.tessera.batch.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.testkit.RedisClusterProcesses;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link PurgeIT} on a Redis Cluster (three masters with a replica each, as {@code ClusterUploadIT}):
 * a version's keys spread over every master's slots, so the purge must scan each master.
 */
class ClusterPurgeIT extends PurgeIT {
  @DynamicPropertySource
  static void onTheCluster(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.cluster.nodes", () -> RedisClusterProcesses.shared().seeds());
  }

  /** What makes the tests above prove anything: the service talks to the cluster, and one version's keys sit on every master. */
  @Test
  void aVersionsKeysSpreadOverEveryMaster() {
    var keys = writeVersion(unique("purge_spread"), 1, ENTITIES);
    try (RedisConnection c = redis.getConnection()) {
      assertThat(c).isInstanceOf(RedisClusterConnection.class);
      RedisClusterConnection cluster = (RedisClusterConnection) c;
      Set<String> masters = new HashSet<>();
      // the masters that serve slots: a master killed by another test can linger in the node
      // table (marked failed, or back without slots) after its replica took over
      cluster.clusterGetNodes().forEach(n -> {
        if (n.isMaster() && !n.isMarkedAsFail() && !n.getSlotRange().getSlots().isEmpty()) masters.add(n.getId());
      });
      Set<String> holding = new HashSet<>();
      for (String k : keys) {
        RedisClusterNode node = cluster.clusterGetNodeForKey(bytes(k));
        holding.add(node.getId());
      }
      assertThat(masters).hasSizeGreaterThan(1);
      assertThat(holding).isEqualTo(masters);
    }
  }
}
