package dev.tessera.batch.purge;

import dev.tessera.agg.testkit.RedisClusterProcesses;
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
}
