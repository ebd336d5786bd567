package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.StreamingConfig;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.Tile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * DESIGN.md "Late events" and the "bad events": neither is applied, both reach the
 * dead-letter topic with the reason and the event as it arrived, both are counted, and the job
 * goes on with the next record.
 */
class DeadLetterTest {
  static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  static final long MIN = 60_000;

  static GroupBy purchases(String name) {
    return GroupBy.builder(name).keys("user_id")
        .source(EventSource.builder().table("purchases").topic("purchases")
            .column("user_id", "STRING").column("amount", "DOUBLE").column("qty", "LONG").column("currency", "STRING")
            .column("ts", "LONG")
            .select("user_id", "user_id").select("amount", "amount").select("unit", "100 / qty")
            .where("currency == \"USD\"").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, "1h")
        .aggregate("unit", Operation.SUM, "1h")
        .streaming(new StreamingConfig(Duration.ofMinutes(5), Duration.ofMinutes(10)))
        .build();
  }

  static String event(String user, double amount, long ts) {
    return "{\"user_id\": \"" + user + "\", \"amount\": " + amount + ", \"qty\": 1, \"currency\": \"USD\", \"ts\": " + ts + "}";
  }

  @Test
  void eventsLaterThanTileEndPlusAllowedLatenessAreDeadLetteredAndNotApplied() {
    try (TopologyHarness h = new TopologyHarness(purchases("late_events"), TopologyHarness.settings())) {
      h.send("purchases", "u1", event("u1", 1.0, T0), T0);
      h.send("purchases", "u1", event("u1", 2.0, T0 + 30 * MIN), T0 + 30 * MIN); // stream time T0+30m
      String late = event("u1", 4.0, T0 + MIN); // tile [T0, T0+5m): 5m + 10m lateness < 30m
      h.send("purchases", "u1", late, T0 + 31 * MIN);
      String lateByOneMilli = event("u1", 8.0, T0 + 15 * MIN - 1); // tile [10m, 15m): 15m + 10m < 30m
      h.send("purchases", "u1", lateByOneMilli, T0 + 31 * MIN);
      h.send("purchases", "u1", event("u1", 16.0, T0 + 15 * MIN), T0 + 31 * MIN); // tile end 20m + 10m = 30m: in time
      h.flush();

      List<JsonNode> letters = h.deadLetters();
      assertThat(letters).hasSize(2);
      JsonNode first = letters.getFirst();
      assertThat(first.get("kind").asString()).isEqualTo("late");
      assertThat(first.get("groupBy").asString()).isEqualTo("late_events");
      assertThat(first.get("version").asInt()).isEqualTo(1);
      assertThat(first.get("sourceTopic").asString()).isEqualTo("purchases");
      assertThat(first.get("partition").asInt()).isZero();
      assertThat(first.get("offset").asLong()).isEqualTo(2);
      assertThat(first.get("key").asString()).isEqualTo("u1");
      assertThat(first.get("event").asString()).isEqualTo(late);
      assertThat(first.get("eventTime").asLong()).isEqualTo(T0 + MIN);
      assertThat(first.get("streamTime").asLong()).isEqualTo(T0 + 30 * MIN);
      assertThat(first.get("reason").asString()).startsWith("late: ").contains("allowedLateness PT10M");
      assertThat(letters.get(1).get("event").asString()).isEqualTo(lateByOneMilli);

      // Only the three in-time events count: 1 + 2 + 16.
      var g = h.g;
      IrCodec codec = new IrCodec(g);
      List<Tile> tiles = new ArrayList<>();
      h.redis.hashes.get(RedisKeys.tilesKey("late_events", 1, List.of("u1")))
          .forEach((f, b) -> tiles.add(new Tile(RedisKeys.tileStart(f), codec.decodeTile(b))));
      assertThat(tiles).extracting(Tile::start).containsExactlyInAnyOrder(T0, T0 + 15 * MIN, T0 + 30 * MIN);
      assertThat(new OnlineMerge(g).merge(null, tiles, T0 + 35 * MIN).features()).containsEntry("amount_sum_1h", 19.0);
      assertThat(h.count("events.late", "groupBy", "late_events")).isEqualTo(2);
      assertThat(h.count("events.deadlettered", "groupBy", "late_events", "kind", "late")).isEqualTo(2);
      assertThat(h.count("events.applied", "groupBy", "late_events")).isEqualTo(3);
    }
  }

  @Test
  void malformedEventsAreDeadLetteredWithTheReasonAndTheJobGoesOn() {
    long now = T0 + 10 * MIN;
    try (TopologyHarness h = new TopologyHarness(purchases("bad_events"), TopologyHarness.settings())) {
      Map<String, String> bad = new java.util.LinkedHashMap<>();
      bad.put("{\"user_id\": \"u1\", \"amount\": 1.0,", "bad JSON");
      bad.put("[1, 2, 3]", "not a JSON object");
      bad.put("\"just text\"", "not a JSON object");
      bad.put("   ", "empty record");
      bad.put("{\"user_id\": null, \"amount\": 1.0, \"qty\": 1, \"currency\": \"USD\", \"ts\": " + T0 + "}", "key 'user_id' is null");
      bad.put("{\"amount\": 1.0, \"qty\": 1, \"currency\": \"USD\", \"ts\": " + T0 + "}", "key 'user_id' is null");
      bad.put("{\"user_id\": \"u1\", \"amount\": \"abc\", \"qty\": 1, \"currency\": \"USD\", \"ts\": " + T0 + "}",
          "column 'amount': expected DOUBLE, got a string");
      bad.put("{\"user_id\": \"u1\", \"amount\": 1.0, \"qty\": 2.5, \"currency\": \"USD\", \"ts\": " + T0 + "}",
          "column 'qty': expected LONG");
      bad.put("{\"user_id\": \"u1\", \"amount\": 1.0, \"qty\": 0, \"currency\": \"USD\", \"ts\": " + T0 + "}",
          "select 'unit' failed");
      bad.put("{\"user_id\": \"u1\", \"amount\": 1.0, \"qty\": 1, \"currency\": \"USD\"}", "no event time");
      bad.put("{\"user_id\": \"u1\", \"amount\": 1.0, \"qty\": 1, \"currency\": \"USD\", \"ts\": " + (now + 2 * 3_600_000L) + "}",
          "ahead of the record's time");
      for (String json : bad.keySet()) h.send("purchases", "k", json, now);
      h.send("purchases", "k", null, now);
      h.send("purchases", "u1", "{\"user_id\": \"u1\", \"amount\": 5.0, \"qty\": 1, \"currency\": \"EUR\", \"ts\": " + T0 + "}", now);
      h.send("purchases", "u1", event("u1", 7.0, T0), now);
      h.flush();

      List<JsonNode> letters = h.deadLetters();
      assertThat(letters).hasSize(bad.size() + 1);
      List<String> expectedReasons = new ArrayList<>(bad.values());
      expectedReasons.add("no value");
      List<String> texts = new ArrayList<>(bad.keySet());
      texts.add(null);
      for (int i = 0; i < letters.size(); i++) {
        JsonNode l = letters.get(i);
        assertThat(l.get("kind").asString()).isEqualTo("malformed");
        assertThat(l.get("reason").asString()).as("letter %d", i).contains(expectedReasons.get(i));
        assertThat(l.get("offset").asLong()).isEqualTo(i);
        assertThat(l.get("key").asString()).isEqualTo("k");
        if (texts.get(i) == null) assertThat(l.get("event").isNull()).isTrue();
        else assertThat(l.get("event").asString()).isEqualTo(texts.get(i));
      }
      assertThat(h.count("events.in", "groupBy", "bad_events")).isEqualTo(bad.size() + 3);
      assertThat(h.count("events.deadlettered", "groupBy", "bad_events", "kind", "malformed")).isEqualTo(bad.size() + 1);
      assertThat(h.count("events.filtered", "groupBy", "bad_events")).isEqualTo(1);
      assertThat(h.count("events.applied", "groupBy", "bad_events")).isEqualTo(1);
      assertThat(h.redis.hashes).containsOnlyKeys(RedisKeys.tilesKey("bad_events", 1, List.of("u1")));
    }
  }

  /** DESIGN.md "Which events count": the record key never decides whether an event counts (the batch side never sees it). */
  @Test
  void withSourcePartitioningARecordNotKeyedByItsEntityIsRoutedToItsEntitysTaskAndApplied() {
    TopologySettings settings = TopologyHarness.settings().withPartitioning(TopologySettings.Partitioning.SOURCE);
    try (TopologyHarness h = new TopologyHarness(purchases("keyed"), settings)) {
      h.send("purchases", "u2", event("u1", 1.0, T0), T0);
      h.send("purchases", null, event("u1", 4.0, T0), T0);
      h.send("purchases", "u1", event("u1", 2.0, T0), T0);
      h.flush();
      assertThat(h.deadLetters()).isEmpty();
      assertThat(h.count("events.applied", "groupBy", "keyed")).isEqualTo(3);
      assertThat(h.count("events.rerouted", "groupBy", "keyed")).isEqualTo(2);
      assertThat(h.redis.hashes).containsOnlyKeys(RedisKeys.tilesKey("keyed", 1, List.of("u1")));
    }
  }

  @Test
  void aRecordThatThrowsAnywayIsDeadLetteredAsAnErrorAndTheNextOneIsApplied() {
    try (TopologyHarness h = new TopologyHarness(purchases("throwing"), TopologyHarness.settings())) {
      byte[] entity = EntityKey.encode(List.of("u1"));
      // A tile the codec refuses (another layout): decoding it throws inside the tile processor.
      h.tileStore().put(TileKey.of(T0, entity), new byte[] {1, 0, 0, 0, 0, 0});
      String poisoned = event("u1", 1.0, T0);
      h.send("purchases", "u1", poisoned, T0);
      h.send("purchases", "u2", event("u2", 2.0, T0), T0);
      h.driver.advanceWallClockTime(Duration.ofMillis(1));

      List<JsonNode> letters = h.deadLetters();
      assertThat(letters).hasSize(1);
      assertThat(letters.getFirst().get("kind").asString()).isEqualTo("error");
      assertThat(letters.getFirst().get("reason").asString()).contains("processing failed in tiles").contains("IrFormatException");
      assertThat(letters.getFirst().get("event").asString()).isEqualTo(poisoned);
      assertThat(h.count("events.deadlettered", "groupBy", "throwing", "kind", "error")).isEqualTo(1);
      assertThat(h.count("events.applied", "groupBy", "throwing")).isEqualTo(1);
    }
  }
}
