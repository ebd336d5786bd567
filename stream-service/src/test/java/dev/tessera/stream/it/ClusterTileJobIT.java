package dev.tessera.stream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.testkit.RedisClusterProcesses;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tiling job on a Redis Cluster (three masters with a replica each, started from the machine's
 * redis-server): the writers get the cluster's nodes, as {@code spring.data.redis.cluster.nodes} gives
 * them, and every entity's tile hash lands on the master of its slot, exactly the tiles common-agg
 * computes, spread over the shards.
 */
class ClusterTileJobIT {
  static final RedisClusterProcesses CLUSTER = RedisClusterProcesses.shared();
  static KafkaRedis infra;

  @BeforeAll
  static void start() {
    infra = new KafkaRedis();
  }

  @AfterAll
  static void stop() {
    infra.close();
  }

  @Test
  void referenceVectorEventsBecomeTilesOnTheMastersOfTheirSlots() {
    List<RedisURI> seeds = new ArrayList<>();
    for (String node : CLUSTER.seeds().split(",")) seeds.add(RedisURI.create("redis://" + node));
    String name = "it_cluster_" + UUID.randomUUID().toString().substring(0, 8);
    Map<Integer, Integer> hashesPerMaster = new TreeMap<>();
    Map<String, Integer> padded = new TreeMap<>();
    Map<String, Map<String, byte[]>> written = TileJobIT.vectorEventsBecomeTiles(infra, name,
        new RedisTileWriterFactory(seeds, true, null, Duration.ofSeconds(10), true), pattern -> {
          // each master holds the hashes of its slots: read them there
          Map<String, Map<String, byte[]>> all = new TreeMap<>();
          for (int port : CLUSTER.masters()) {
            try (RedisProbe master = new RedisProbe("redis://127.0.0.1:" + port)) {
              Map<String, Map<String, byte[]>> own = master.hashes(pattern);
              hashesPerMaster.put(port, own.size());
              all.putAll(own);
              // the writer learnt the masters' hash-max-listpack-value (64 by default) and padded r past it
              master.rollups(pattern).forEach((key, fields) -> padded.put(key, fields.get(RedisKeys.ROLLUPS_FROM_FIELD).length));
            }
          }
          return all;
        });
    assertThat(written).isNotEmpty();
    assertThat(hashesPerMaster.values().stream().filter(n -> n > 0).count()).as("masters holding tiles: %s", hashesPerMaster)
        .isGreaterThan(1);
    assertThat(padded).as("tiles hashes with rollups").isNotEmpty().allSatisfy((key, length) -> assertThat(length).isEqualTo(65));
  }
}
