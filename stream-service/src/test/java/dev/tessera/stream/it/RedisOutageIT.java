package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.topology.ExpectedTiles;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Redis going away does not stop a job or lose a tile: flushes fail (counted), the job keeps
 * consuming, and when Redis is back every tile changed meanwhile is written whole. Uses a Redis of
 * its own (a real Redis 6.2 from embedded-redis) so that the shared one stays up.
 */
class RedisOutageIT {
  static final Duration WAIT = Duration.ofSeconds(90);
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
  void tilesChangedWhileRedisIsDownAreWrittenWhenItIsBack() throws Exception {
    int port = freePort();
    Path dir = Files.createDirectories(Path.of("target", "redis-outage", UUID.randomUUID().toString())).toAbsolutePath();
    String uri = "redis://127.0.0.1:" + port;
    RedisServer redis = redis(port, dir);
    String name = "it_outage_" + UUID.randomUUID().toString().substring(0, 8);
    String topic = name + ".events";
    String pattern = RedisKeys.versionPattern(name, 1);
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofMinutes(10)), 1);
    // One partition: events stay in time order up to the tile task, so none is late.
    infra.createTopic(topic, 1);
    infra.createTopic("tessera.deadletter." + name, 1);
    long from = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    // Two hours of events in time order: tiles close (and leave the store) while Redis is down.
    List<Map<String, Object>> events = Fixtures.events(11, 50, 3_000, from, from + 2 * 3_600_000L);
    var records = Fixtures.records(events);
    TopologySettings settings = TopologySettings.defaults("tessera.deadletter." + name).withFlushInterval(Duration.ofMillis(100));
    try (JobRunner job = new JobRunner(infra.bootstrap(), live, settings, "tessera-stream-" + name + "-v1",
        Path.of("target", "it-state", name), Map.of(), uri, Duration.ofSeconds(2));
        RedisProbe probe = new RedisProbe(uri)) {
      infra.produce(topic, records.subList(0, 1_000));
      var firstPart = ExpectedTiles.of(live.compiled(), 1, events.subList(0, 1_000));
      assertThat(eventually(WAIT, () -> ExpectedTiles.same(probe.hashes(pattern), firstPart))).isTrue();
      probe.save();
      redis.stop();

      infra.produce(topic, records.subList(1_000, records.size()));
      long usd = events.stream().filter(e -> "USD".equals(e.get("currency"))).count();
      assertThat(eventually(WAIT, () -> job.metrics.snapshot().applied() == usd && job.metrics.snapshot().writeFailures() > 0))
          .as("the job keeps consuming while its flushes fail: %s", job.metrics.snapshot()).isTrue();
      assertThat(job.running()).isTrue();

      redis = redis(port, dir); // comes back with what it had saved
      var all = ExpectedTiles.of(live.compiled(), 1, events);
      boolean done = eventually(WAIT, () -> ExpectedTiles.same(probe.hashes(pattern), all));
      ExpectedTiles.assertSame(probe.hashes(pattern), all);
      assertThat(done).isTrue();
    } finally {
      redis.stop();
    }
  }

  private static RedisServer redis(int port, Path dir) throws IOException {
    RedisServer r = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no")
        .setting("dir " + dir).setting("dbfilename dump.rdb").build();
    r.start();
    return r;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
