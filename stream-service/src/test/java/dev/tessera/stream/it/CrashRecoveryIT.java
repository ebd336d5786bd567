package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.testkit.ChildJvm;
import dev.tessera.stream.topology.ExpectedTiles;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proof of exactly-once: a job killed mid-stream (SIGKILL, while events arrive, after
 * it wrote tiles of work it had not committed) and restarted ends with exactly the tiles an
 * uninterrupted run writes, i.e. the tiles common-agg computes from the events: nothing lost,
 * nothing counted twice.
 */
class CrashRecoveryIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  /** A dead member leaves the group after 6 s instead of 45: the restarted job gets its partitions sooner. */
  static final Map<String, Object> FAST_FAILOVER = Map.of("consumer.session.timeout.ms", 6000,
      "consumer.heartbeat.interval.ms", 1000);
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

  static TopologySettings settings(String name) {
    return TopologySettings.defaults("tessera.deadletter." + name).withFlushInterval(Duration.ofMillis(100));
  }

  @Test
  void aJobKilledMidStreamAndRestartedEndsWithExactlyTheTilesOfAnUninterruptedRun() throws Exception {
    String name = "it_crash_" + UUID.randomUUID().toString().substring(0, 8);
    String topic = name + ".events";
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofDays(2)), 1);
    pattern = RedisKeys.versionPattern(name, 1);
    infra.createTopic(topic, 3);
    infra.createTopic("tessera.deadletter." + name, 1);
    long from = Instant.now().minus(Duration.ofHours(6)).toEpochMilli();
    List<Map<String, Object>> events = Fixtures.events(7, 200, 30_000, from, from + 5 * 3_600_000L);
    var records = Fixtures.records(events);
    var expected = ExpectedTiles.of(live.compiled(), 1, events);
    String appId = "tessera-stream-" + name + "-v1";
    Path stateDir = Path.of("target", "it-state", name).toAbsolutePath();
    infra.produce(topic, records.subList(0, 10_000));

    Process child = startChild(live, appId, stateDir);
    Map<String, Map<String, byte[]>> atKill;
    try (KafkaProducer<String, String> producer = infra.producer()) {
      assertThat(eventually(WAIT, () -> !infra.hashes(pattern).isEmpty())).as("the first job writes tiles").isTrue();
      // Keep producing while the job runs, and kill it in the middle of that.
      for (int i = 10_000; i < 20_000; i++) {
        producer.send(new ProducerRecord<>(topic, records.get(i).getKey(), records.get(i).getValue()));
        if (i % 1000 == 0) Thread.sleep(100);
      }
      producer.flush();
      child.destroyForcibly().waitFor();
      atKill = infra.hashes(pattern);
      for (int i = 20_000; i < records.size(); i++) {
        producer.send(new ProducerRecord<>(topic, records.get(i).getKey(), records.get(i).getValue()));
      }
      producer.flush();
    } finally {
      child.destroyForcibly();
    }
    assertThat(ExpectedTiles.same(atKill, expected)).as("killed before it was done").isFalse();
    assertThat(atKill).as("killed after it wrote tiles").isNotEmpty();

    try (JobRunner restarted = new JobRunner(infra.bootstrap(), live, settings(name), appId, stateDir, FAST_FAILOVER)) {
      boolean done = eventually(WAIT, () -> ExpectedTiles.same(infra.hashes(pattern), expected));
      ExpectedTiles.assertSame(infra.hashes(pattern), expected);
      assertThat(done).isTrue();
    }
  }

  private static Process startChild(LiveGroupBy live, String appId, Path stateDir) throws Exception {
    Path definition = Files.createTempFile(Path.of("target"), "crash-groupby", ".json");
    PublishedGroupBy published = live.published();
    Files.writeString(definition, published.toJson());
    List<String> cmd = ChildJvm.command(List.of(), CrashableJob.class.getName(),
        List.of(infra.bootstrap(), definition.toString(), appId, stateDir.toString()));
    File log = Path.of("target", "crash-child-" + live.name() + ".log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    assertThat(eventually(WAIT, () -> {
      try {
        return Files.readString(log.toPath()).contains("RUNNING");
      } catch (java.io.IOException e) {
        return false;
      }
    })).as("the child job runs (log: %s)", log).isTrue();
    return p;
  }
}
