package dev.tessera.fetcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.agg.testkit.RedisClusterProcesses;
import dev.tessera.fetcher.FetcherIT;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A master of the Redis Cluster dies (SIGKILL) under the fetcher: while its replica takes over, fetches
 * answer 503 or the right values, never others; within {@link #RECOVERY} of the kill every key is
 * served again, equal to the oracle, with no restart of the fetcher.
 */
class ClusterFailoverIT extends FetcherIT {
  static final long DAY = 24 * 60 * 60_000L;
  static final long B = 1_764_000_000_000L - 1_764_000_000_000L % DAY;
  /** Node timeout (1.5 s) + election + the client's slot map refresh, with room for a loaded machine. */
  static final Duration RECOVERY = Duration.ofSeconds(30);

  static final RedisClusterProcesses CLUSTER = RedisClusterProcesses.shared();

  @DynamicPropertySource
  static void onTheCluster(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.cluster.nodes", CLUSTER::seeds);
  }

  @BeforeAll
  static void writeToTheCluster() {
    redis.close();
    redis = RedisTestData.cluster(CLUSTER.seeds());
  }

  @Test
  void afterAMasterIsKilledItsReplicaServesTheSameValues() {
    CompiledGroupBy g = GroupByCompiler.compile("""
        name: %s
        keys: [user_id]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: %s, query: {timeColumn: ts}}}]
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1d]}
        """.formatted(TestGroupBys.uniqueName("it_failover"), EventGenerator.SCHEMA_YAML)).orThrow();
    publish(g, 1);
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, new EventGenerator(7).purchases(40, 2000, B - 8 * DAY, B + DAY));
    redis.setUploadMarker(g.name(), 1, B);
    rows.forEach((key, r) -> redis.write(g.name(), 1, key, EncodedEntity.of(g, r, B, B + DAY)));
    List<List<Object>> keys = new ArrayList<>(rows.keySet());
    String keysJson = Json.MAPPER.writeValueAsString(keys.stream().map(k -> Map.of("user_id", k.getFirst())).toList());
    long t = B + 13 * 60 * 60_000L;

    JsonNode before = post(g.name(), keysJson, t).get("results");
    assertOracleValues(g, rows, keys, before, t);

    // the master of the first key's entity; every write has reached its replica before it dies
    int master = CLUSTER.masterOf(RedisKeys.tilesKey(g.name(), 1, keys.getFirst()));
    CLUSTER.awaitReplicated(master, Duration.ofSeconds(10));
    CLUSTER.kill(master);
    long killedAt = System.nanoTime();
    AtomicInteger unavailable = new AtomicInteger();
    try {
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
        var response = http.post().uri("/v1/features/groupby/{name}?atMillis={t}", g.name(), t)
            .contentType(MediaType.APPLICATION_JSON).body(keysJson).exchange().returnResult(String.class);
        if (response.getStatus().value() == 503) {
          unavailable.incrementAndGet();
          return false;
        }
        assertThat(response.getStatus().value()).as(response.getResponseBody()).isEqualTo(200);
        JsonNode results = Json.MAPPER.readTree(response.getResponseBody()).get("results");
        for (int i = 0; i < keys.size(); i++) {
          if (!"Success".equals(results.get(i).get("status").asString())) return false;
          // a key that is served has the values it had before the failover
          assertThat(results.get(i)).isEqualTo(before.get(i));
        }
        return true;
      });
      System.out.printf("ClusterFailoverIT: master on port %d killed; every key served again after %d ms (%d answers 503 meanwhile)%n",
          master, Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), unavailable.get());
      assertThat(CLUSTER.masterOf(RedisKeys.tilesKey(g.name(), 1, keys.getFirst()))).isNotEqualTo(master);
    } finally {
      CLUSTER.restart(master);
    }
  }

  private static void assertOracleValues(CompiledGroupBy g, Map<List<Object>, List<Row>> rows, List<List<Object>> keys, JsonNode results,
      long t) {
    NaiveAggregator oracle = new NaiveAggregator(g);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      assertThat(results.get(i).get("status").asString()).isEqualTo("Success");
      FeatureComparison.mismatches(oracle.valuesAt(rows.get(keys.get(i)), t), features(results.get(i)), Map.of())
          .forEach(m -> failures.add(keys + " " + m));
    }
    assertThat(failures).isEmpty();
    assertThat(keys.size()).isGreaterThan(20);
  }
}
