package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.testkit.ReferenceVectors;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.Tile;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.stream.topology.ExpectedTiles;
import dev.tessera.stream.topology.TileTopology;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import io.lettuce.core.RedisURI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The tiling topology on a real (in-process KRaft) broker and the real Redis: events produced to
 * the topic appear in Redis as exactly the tiles common-agg computes, late and malformed events
 * land in the dead-letter topic, and two instances share the partitions without double counting.
 */
class TileJobIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static KafkaRedis infra;
  static final List<String> patterns = new ArrayList<>();

  @BeforeAll
  static void start() {
    infra = new KafkaRedis();
  }

  @AfterAll
  static void stop() {
    patterns.forEach(infra::deleteKeys);
    infra.close();
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Path stateDir() {
    return Path.of("target", "it-state", UUID.randomUUID().toString());
  }

  static TopologySettings settings(String name) {
    return TopologySettings.defaults("tessera.deadletter." + name).withFlushInterval(Duration.ofMillis(100))
        .withRetention(Duration.ofDays(60), Duration.ofDays(90));
  }

  @Test
  void referenceVectorEventsBecomeTheTilesCommonAggComputesAndTheFetcherMergeMatchesTheVectors() {
    String name = unique("it_vectors");
    patterns.add(RedisKeys.versionPattern(name, 1));
    Map<String, Map<String, byte[]>> actual = vectorEventsBecomeTiles(infra, name, new RedisTileWriterFactory(RedisURI.create(KafkaRedis.REDIS_URI),
        Duration.ofSeconds(10)), infra::hashes);
    // Idle entities' hashes expire: this test keeps tiles 60 days (the vectors span 45), + 1 day margin.
    assertThat(infra.ttl(actual.keySet().iterator().next())).isBetween(61L * 86400 - 120, 61L * 86400);
  }

  /**
   * Runs a tiling job of the all_ops reference vectors' events, writing through {@code writers}, and
   * checks that the tile hashes ({@code hashes} of a key pattern) become exactly the tiles common-agg
   * computes and that the fetcher's merge of them answers the vectors. Returns the hashes.
   */
  static Map<String, Map<String, byte[]>> vectorEventsBecomeTiles(KafkaRedis infra, String name, RedisTileWriterFactory writers,
      Function<String, Map<String, Map<String, byte[]>>> hashes) {
    ReferenceVectors v = ReferenceVectors.load("all_ops.json");
    GroupBy g = Fixtures.renamed(v.groupBy().definition(), name, name + ".events");
    LiveGroupBy live = Fixtures.live(g, 1);
    // One partition: the vectors span 45 days in event-time order, nothing is late.
    infra.createTopic(name + ".events", 1);
    infra.createTopic("tessera.deadletter." + name, 1);
    infra.produce(name + ".events", Fixtures.records(v.events()));
    var expected = ExpectedTiles.of(live.compiled(), 1, v.events());
    try (JobRunner job = new JobRunner(infra.bootstrap(), live, settings(name), "tessera-stream-" + name + "-v1", stateDir(), Map.of(),
        writers)) {
      boolean done = eventually(WAIT, () -> ExpectedTiles.same(hashes.apply(RedisKeys.versionPattern(name, 1)), expected));
      var actual = hashes.apply(RedisKeys.versionPattern(name, 1));
      ExpectedTiles.assertSame(actual, expected);
      assertThat(done).isTrue();
      int[] compared = {0};
      assertThat(ExpectedTiles.vectorMismatches(v, live.compiled(), 1, actual, compared)).isEmpty();
      assertThat(compared[0]).isGreaterThan(v.queries().size() / 2);
      assertThat(job.metrics.snapshot().applied()).isEqualTo(v.events().size());
      return actual;
    }
  }

  @Test
  void lateAndMalformedEventsLandInTheDeadLetterTopicAndTheRestIsApplied() {
    String name = unique("it_dead");
    String topic = name + ".events";
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofMinutes(10)), 1);
    patterns.add(RedisKeys.versionPattern(name, 1));
    infra.createTopic(topic, 1);
    infra.createTopic("tessera.deadletter." + name, 1);
    long t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    String late = event("u1", 4.0, t0 + 60_000);
    String malformed = "{\"user_id\": \"u1\", \"amount\": \"four\", \"currency\": \"USD\", \"ts\": " + t0 + "}";
    infra.produce(topic, List.of(Map.entry("u1", event("u1", 1.0, t0)), Map.entry("u1", event("u1", 2.0, t0 + 3_600_000)),
        Map.entry("u1", late), Map.entry("u1", "not json"), Map.entry("u1", malformed),
        Map.entry("u1", event("u1", 8.0, t0 + 3_600_000 + 1))));
    try (JobRunner job = new JobRunner(infra.bootstrap(), live, settings(name), "tessera-stream-" + name + "-v1", stateDir(), Map.of())) {
      List<ConsumerRecord<String, String>> letters = infra.readAll("tessera.deadletter." + name, 3, WAIT);
      assertThat(letters).hasSize(3);
      List<JsonNode> json = letters.stream().map(r -> Fixtures.JSON.readTree(r.value())).toList();
      assertThat(json).extracting(j -> j.get("kind").asString()).containsExactlyInAnyOrder("late", "malformed", "malformed");
      JsonNode lateLetter = json.stream().filter(j -> j.get("kind").asString().equals("late")).findFirst().orElseThrow();
      assertThat(lateLetter.get("event").asString()).isEqualTo(late);
      assertThat(lateLetter.get("sourceTopic").asString()).isEqualTo(topic);
      assertThat(lateLetter.get("offset").asLong()).isEqualTo(2);
      assertThat(json).filteredOn(j -> j.get("kind").asString().equals("malformed"))
          .extracting(j -> j.get("event").asString()).containsExactlyInAnyOrder("not json", malformed);

      String key = RedisKeys.tilesKey(name, 1, List.of("u1"));
      assertThat(eventually(WAIT, () -> job.metrics.snapshot().tilesWritten() >= 2
          && infra.hashes(key).getOrDefault(key, Map.of()).size() == 2)).isTrue();
      IrCodec codec = new IrCodec(live.compiled());
      List<Tile> tiles = new ArrayList<>();
      infra.hashes(key).get(key).forEach((f, b) -> tiles.add(new Tile(RedisKeys.tileStart(f), codec.decodeTile(b))));
      var values = new OnlineMerge(live.compiled()).merge(null, tiles, t0 + 2 * 3_600_000).features();
      assertThat(values).containsEntry("amount_sum_24h", 11.0).containsEntry("amount_count_24h", 3L);
      var counts = job.metrics.snapshot();
      assertThat(counts.late()).isEqualTo(1);
      assertThat(counts.deadLettered()).containsEntry("late", 1L).containsEntry("malformed", 2L);
    }
  }

  @Test
  void twoInstancesWithOneApplicationIdShareThePartitionsWithoutDoubleCounting() {
    String name = unique("it_scale");
    String topic = name + ".events";
    // Generous lateness: which instance reads which partition must not decide anything.
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofDays(2)), 1);
    patterns.add(RedisKeys.versionPattern(name, 1));
    infra.createTopic(topic, 4);
    infra.createTopic("tessera.deadletter." + name, 1);
    long from = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    List<Map<String, Object>> events = Fixtures.events(42, 300, 12_000, from, from + 6 * 3_600_000L);
    var expected = ExpectedTiles.of(live.compiled(), 1, events);
    String appId = "tessera-stream-" + name + "-v1";
    try (JobRunner a = new JobRunner(infra.bootstrap(), live, settings(name), appId, stateDir(), Map.of());
        JobRunner b = new JobRunner(infra.bootstrap(), live, settings(name), appId, stateDir(), Map.of())) {
      assertThat(eventually(WAIT, () -> a.running() && b.running() && !a.tasks().isEmpty() && !b.tasks().isEmpty())).isTrue();
      infra.produce(topic, Fixtures.records(events));
      boolean done = eventually(WAIT, () -> ExpectedTiles.same(infra.hashes(RedisKeys.versionPattern(name, 1)), expected));
      ExpectedTiles.assertSame(infra.hashes(RedisKeys.versionPattern(name, 1)), expected);
      assertThat(done).isTrue();
      // Both did part of the work: the tile sub-topology's tasks (1_x) are split between them.
      assertThat(a.tasks()).anyMatch(t -> t.startsWith("1_"));
      assertThat(b.tasks()).anyMatch(t -> t.startsWith("1_"));
      long usd = events.stream().filter(e -> "USD".equals(e.get("currency"))).count();
      assertThat(a.metrics.snapshot().applied() + b.metrics.snapshot().applied()).isEqualTo(usd);
      assertThat(a.metrics.snapshot().applied()).isPositive();
      assertThat(b.metrics.snapshot().applied()).isPositive();
    }
  }

  /**
   * DESIGN.md "Which events count": with source partitioning the well-keyed records need no
   * repartition topic, and a record keyed otherwise is not refused (the batch side never sees keys):
   * it takes the small internal topic to its entity's task and is applied.
   */
  @Test
  void withSourcePartitioningTopicsKeyedByEntityNeedNoRepartitionTopicAndAMisKeyedRecordStillCounts() throws Exception {
    String name = unique("it_keyed");
    String topic = name + ".events";
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofDays(2)), 1);
    patterns.add(RedisKeys.versionPattern(name, 1));
    infra.createTopic(topic, 3);
    infra.createTopic("tessera.deadletter." + name, 1);
    long from = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    List<Map<String, Object>> events = Fixtures.events(43, 100, 4_000, from, from + 3_600_000L);
    List<Map.Entry<String, String>> records = new ArrayList<>(Fixtures.records(events));
    String misKeyed = event("u1", 5.0, from + 10);
    records.add(Map.entry("not-the-user", misKeyed));
    List<Map<String, Object>> counted = new ArrayList<>(events);
    counted.add(tools.jackson.databind.json.JsonMapper.builder().build().readValue(misKeyed, Map.class));
    var expected = ExpectedTiles.of(live.compiled(), 1, counted);
    infra.produce(topic, records);
    String appId = "tessera-stream-" + name + "-v1";
    TopologySettings settings = settings(name).withPartitioning(TopologySettings.Partitioning.SOURCE);
    try (JobRunner job = new JobRunner(infra.bootstrap(), live, settings, appId, stateDir(), Map.of())) {
      boolean done = eventually(WAIT, () -> ExpectedTiles.same(infra.hashes(RedisKeys.versionPattern(name, 1)), expected));
      ExpectedTiles.assertSame(infra.hashes(RedisKeys.versionPattern(name, 1)), expected);
      assertThat(done).isTrue();
      assertThat(job.metrics.snapshot().rerouted()).isEqualTo(1);
      assertThat(job.metrics.snapshot().deadLettered().get("malformed")).isZero();
      try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", infra.bootstrap()))) {
        assertThat(admin.listTopics().names().get()).filteredOn(t -> t.startsWith(appId) && t.endsWith("-repartition"))
            .containsExactly(appId + "-" + TileTopology.REROUTE + "-repartition");
      }
    }
  }

  static String event(String user, double amount, long ts) {
    return "{\"user_id\": \"" + user + "\", \"merchant\": \"m\", \"amount\": " + amount
        + ", \"qty\": 1, \"currency\": \"USD\", \"ts\": " + ts + "}";
  }
}
