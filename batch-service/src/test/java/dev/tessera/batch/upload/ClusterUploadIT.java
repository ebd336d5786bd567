package dev.tessera.batch.upload;

import dev.tessera.agg.testkit.RedisClusterProcesses;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link UploadIT} on a Redis Cluster (three masters with a replica each, started from the machine's
 * redis-server), configured by {@code spring.data.redis.cluster.nodes} alone: the batch IRs of an upload
 * land on the masters of their slots, read back through the cluster they equal the oracle, re-runs are
 * idempotent and entities that left every window lose their IR.
 */
class ClusterUploadIT extends UploadIT {
  @DynamicPropertySource
  static void onTheCluster(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.cluster.nodes", () -> RedisClusterProcesses.shared().seeds());
  }

  /** The cluster belongs to this test JVM and its GroupBy names are unique: nothing to clean (a SCAN would span the shards). */
  @Override
  void cleanRedis() {}
}
