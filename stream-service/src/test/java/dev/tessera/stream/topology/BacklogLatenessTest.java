package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.StreamingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A backlog longer than allowedLateness reaches the tiling task as the repartition topic delivers
 * it: the source partitions interleaved in big chunks. Lateness is judged against the watermark
 * (the oldest source partition's stream time), so an event within allowedLateness of its own
 * partition's stream time is applied however far another partition ran ahead; an event late for
 * every partition still is dead-lettered.
 *
 * <p>The test driver gives every topic one partition, so the two source partitions here are
 * partition 0 of two topics, each read by its own source of the GroupBy.
 */
class BacklogLatenessTest {
  static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  static final long MIN = 60_000;
  static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4");

  static GroupBy twoTopics() {
    return GroupBy.builder("backlog").keys("user_id")
        .source(source("a"))
        .source(source("b"))
        .aggregate("amount", Operation.SUM, "1h")
        .aggregate("amount", Operation.COUNT, "1d")
        .streaming(new StreamingConfig(Duration.ofMinutes(5), Duration.ofMinutes(10)))
        .build();
  }

  /** Reads topic {@code clicks_<name>}; the where makes ExpectedTiles apply each event to its own source only. */
  static EventSource source(String name) {
    return EventSource.builder().table("clicks_" + name).topic("clicks_" + name)
        .column("user_id", "STRING").column("amount", "DOUBLE").column("src", "STRING").column("ts", "LONG")
        .select("user_id", "user_id").select("amount", "amount")
        .where("src == \"" + name + "\"").timeColumn("ts").build();
  }

  static Map<String, Object> event(String src, int i, long ts) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("user_id", USERS.get(i % USERS.size()));
    e.put("amount", (double) (i % 7) + 0.25);
    e.put("src", src);
    e.put("ts", ts);
    return e;
  }

  /** Two hours of each topic, one event a minute: the first of each, then all of a, then all of b. */
  static List<Map<String, Object>> backlogInChunks() {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(event("a", 0, T0));
    out.add(event("b", 0, T0));
    for (int i = 1; i < 120; i++) out.add(event("a", i, T0 + i * MIN));
    for (int i = 1; i < 120; i++) out.add(event("b", i, T0 + i * MIN));
    return out;
  }

  static void send(TopologyHarness h, Map<String, Object> e) {
    long ts = (long) e.get("ts");
    h.send("clicks_" + e.get("src"), (String) e.get("user_id"), TopologyHarness.JSON.writeValueAsString(e), ts);
  }

  @Test
  void aBacklogInterleavedInChunksIsAppliedWholeAndTrulyLateEventsAreStillDeadLettered() {
    try (TopologyHarness h = new TopologyHarness(twoTopics(), TopologyHarness.settings())) {
      List<Map<String, Object>> events = backlogInChunks();
      events.forEach(e -> send(h, e));
      h.flush();
      assertThat(h.deadLetters()).as("every event is within allowedLateness of its own partition").isEmpty();
      assertThat(h.count("events.applied", "groupBy", "backlog")).isEqualTo(events.size());
      ExpectedTiles.assertSame(h.redis.hashes, ExpectedTiles.of(h.g, 1, events));

      // Older than both partitions' stream times (T0 + 119m) minus tile and lateness: late.
      Map<String, Object> late = event("a", 1, T0 + 100 * MIN);
      send(h, late);
      // In the tile ending T0 + 110m: 110m + 10m lateness is not before the watermark T0 + 119m.
      Map<String, Object> inTime = event("b", 2, T0 + 105 * MIN);
      send(h, inTime);
      h.flush();
      List<JsonNode> letters = h.deadLetters();
      assertThat(letters).hasSize(1);
      assertThat(letters.getFirst().get("kind").asString()).isEqualTo("late");
      assertThat(letters.getFirst().get("eventTime").asLong()).isEqualTo(T0 + 100 * MIN);
      assertThat(letters.getFirst().get("streamTime").asLong()).as("the watermark").isEqualTo(T0 + 119 * MIN);
      assertThat(letters.getFirst().get("reason").asString()).contains("oldest source partition");
      List<Map<String, Object>> applied = new ArrayList<>(events);
      applied.add(inTime);
      ExpectedTiles.assertSame(h.redis.hashes, ExpectedTiles.of(h.g, 1, applied));
    }
  }

  @Test
  void anEventLateOnlyForItsOwnPartitionIsAppliedWhileAnotherPartitionIsBehind() {
    try (TopologyHarness h = new TopologyHarness(twoTopics(), TopologyHarness.settings())) {
      send(h, event("b", 0, T0));
      send(h, event("a", 0, T0));
      send(h, event("a", 1, T0 + 60 * MIN)); // partition a at T0 + 1h, b still at T0
      send(h, event("a", 2, T0 + MIN)); // late for a alone, but b may still send events of that time
      h.flush();
      assertThat(h.deadLetters()).isEmpty();
      assertThat(h.count("events.applied", "groupBy", "backlog")).isEqualTo(4);
    }
  }

  /**
   * Four partitions of one topic, as the tiling task reads them from the repartition topic (piped
   * there directly: the driver has one partition per topic), each with the stream time its parse
   * step sent along. The last one is first heard from after the others' whole backlog: the job was
   * told at start which source partitions hold records, so the watermark waited for it.
   */
  @Test
  void partitionsOfOneTopicInterleavedInTheRepartitionTopicAreJudgedByTheOldest() {
    GroupBy one = GroupBy.builder("backlog_p").keys("user_id").source(source("a"))
        .aggregate("amount", Operation.SUM, "1h")
        .streaming(new StreamingConfig(Duration.ofMinutes(5), Duration.ofMinutes(10)))
        .build();
    List<org.apache.kafka.common.TopicPartition> partitions = java.util.stream.IntStream.range(0, 4)
        .mapToObj(p -> new org.apache.kafka.common.TopicPartition("clicks_a", p)).toList();
    try (TopologyHarness h = new TopologyHarness(one, TopologyHarness.settings(), partitions)) {
      var repartition = h.repartition();
      long[] partitionTime = new long[4];
      java.util.Arrays.fill(partitionTime, Long.MIN_VALUE);
      long[] offset = new long[4];
      List<Map<String, Object>> applied = new ArrayList<>();
      java.util.function.BiConsumer<Integer, Map<String, Object>> route = (p, e) -> {
        var row = ((dev.tessera.agg.expr.SourceResult.Accepted) h.g.apply(0, e)).row();
        partitionTime[p] = Math.max(partitionTime[p], row.ts());
        byte[] raw = TopologyHarness.JSON.writeValueAsBytes(e);
        repartition.pipeInput(EntityKey.encode(h.g.keyOf(row)), new RoutedEvent(0, p, offset[p]++, row, raw, partitionTime[p]), row.ts());
      };
      // Partition 3 is first heard from after the others' two hours: the job knew it had records.
      for (int p = 0; p < 3; p++) {
        route.accept(p, event("a", p, T0));
        applied.add(event("a", p, T0));
      }
      for (int p = 0; p < 4; p++) {
        if (p == 3) {
          route.accept(p, event("a", p, T0));
          applied.add(event("a", p, T0));
        }
        for (int i = 1; i < 120; i++) {
          route.accept(p, event("a", p * 1000 + i, T0 + i * MIN));
          applied.add(event("a", p * 1000 + i, T0 + i * MIN));
        }
      }
      route.accept(2, event("a", 7, T0 + 100 * MIN)); // late for every partition: all are at T0 + 119m
      h.flush();
      assertThat(h.deadLetters()).singleElement().satisfies(l -> {
        assertThat(l.get("partition").asInt()).isEqualTo(2);
        assertThat(l.get("eventTime").asLong()).isEqualTo(T0 + 100 * MIN);
      });
      ExpectedTiles.assertSame(h.redis.hashes, ExpectedTiles.of(h.g, 1, applied));
    }
  }

  @Test
  void partitioningBySourceKeepsTheTasksOwnStreamTime() {
    // The task reads the partitions itself (Kafka Streams picks records by timestamp across them):
    // lateness stays against the newest event time of the task, as before the watermark.
    try (TopologyHarness h = new TopologyHarness(twoTopics(),
        TopologyHarness.settings().withPartitioning(TopologySettings.Partitioning.SOURCE))) {
      send(h, event("b", 0, T0));
      send(h, event("a", 1, T0 + 60 * MIN));
      send(h, event("b", 2, T0 + MIN));
      h.flush();
      assertThat(h.deadLetters()).extracting(l -> l.get("eventTime").asLong()).containsExactly(T0 + MIN);
    }
  }
}
