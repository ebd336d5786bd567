package dev.tessera.fetcher.fetch;

import dev.tessera.agg.testkit.RedisClusterProcesses;
import dev.tessera.fetcher.testdata.RedisTestData;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ReferenceVectorsFetchIT} on a Redis Cluster (three masters with a replica each, started from
 * the machine's redis-server): the batch IRs, tiles and upload markers go to the masters of their
 * slots, the fetcher is configured with {@code spring.data.redis.cluster.nodes} only, and every vector
 * query is served equal to the vector and the oracle. A fetcher that read the standalone Redis would
 * find no data here.
 */
class ClusterReferenceVectorsFetchIT extends ReferenceVectorsFetchIT {
  @DynamicPropertySource
  static void onTheCluster(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.cluster.nodes", () -> RedisClusterProcesses.shared().seeds());
  }

  @BeforeAll
  static void writeToTheCluster() {
    redis.close();
    redis = RedisTestData.cluster(RedisClusterProcesses.shared().seeds());
  }
}
