package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.topology.ExpectedTiles;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A first load on a real broker: a topic of four partitions, each with hours of events in time
 * order, is read by a fresh job with the default partitioning (repartition). The repartition topic
 * interleaves the partitions in chunks, so the tiling task sees some partitions run ahead of
 * others; judged by the watermark (the oldest partition's stream time) nothing is late, and the
 * tiles are exactly what common-agg computes from all the events (online == backfill).
 */
class BacklogIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static final int PARTITIONS = 4;
  static KafkaRedis infra;
  static String pattern;

  @BeforeAll
  static void start() {
    infra = new KafkaRedis();
  }

  @AfterAll
  static void stop() {
    if (pattern != null) infra.deleteKeys(pattern);
    infra.close();
  }

  @Test
  void aBacklogOfHoursOnSeveralPartitionsIsAppliedWhole() {
    String name = "it_backlog_" + UUID.randomUUID().toString().substring(0, 8);
    String topic = name + ".events";
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofMinutes(10)), 1);
    pattern = RedisKeys.versionPattern(name, 1);
    infra.createTopic(topic, PARTITIONS);
    infra.createTopic("tessera.deadletter." + name, 1);
    long from = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    List<Map<String, Object>> all = new ArrayList<>();
    try (KafkaProducer<String, String> producer = infra.producer()) {
      for (int p = 0; p < PARTITIONS; p++) {
        // Each partition in event-time order, with entities of its own: one entity's events keep
        // their order (the double sums are then exactly the expected ones).
        List<Map<String, Object>> events = Fixtures.events(100 + p, 200, 3_000, from, from + 48 * 3_600_000L);
        for (var e : events) {
          e.put("user_id", "p" + p + "_" + e.get("user_id"));
          producer.send(new ProducerRecord<>(topic, p, String.valueOf(e.get("user_id")), Fixtures.JSON.writeValueAsString(e)));
        }
        all.addAll(events);
      }
      producer.flush();
    }
    var expected = ExpectedTiles.of(live.compiled(), 1, all);
    TopologySettings settings = TopologySettings.defaults("tessera.deadletter." + name).withFlushInterval(Duration.ofMillis(100))
        .withRetention(Duration.ofDays(60), Duration.ofDays(90));
    Path state = Path.of("target", "it-state", UUID.randomUUID().toString());
    try (JobRunner job = new JobRunner(infra.bootstrap(), live, settings, "tessera-stream-" + name + "-v1", state, Map.of())) {
      boolean done = eventually(WAIT, () -> ExpectedTiles.same(infra.hashes(pattern), expected));
      assertThat(job.metrics.snapshot().late()).as("late events").isZero();
      ExpectedTiles.assertSame(infra.hashes(pattern), expected);
      assertThat(done).isTrue();
    }
  }
}
