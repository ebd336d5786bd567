package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.topology.ExpectedTiles;
import dev.tessera.support.LiveGroupBy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scale-out of one job over two stream-service processes (the application as it ships, each in a
 * JVM of its own): a job started through one instance runs on both (the job intents topic), Kafka
 * Streams splits its partitions between them, and when one is killed with SIGKILL in the middle of
 * a burst the other takes its partitions over. The tiles then are exactly those common-agg computes
 * from the events: nothing lost, nothing counted twice.
 */
class TwoInstancesIT {
  static final Duration WAIT = Duration.ofSeconds(180);
  static KafkaRedis infra;
  static String pattern;
  static final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void start() {
    infra = new KafkaRedis();
  }

  @AfterAll
  static void stop() {
    processes.forEach(Process::destroyForcibly);
    if (pattern != null) infra.deleteKeys(pattern);
    infra.close();
  }

  @Test
  void twoInstancesShareAJobAndTheSurvivorFinishesItExactlyAfterTheOtherIsKilled() throws Exception {
    String name = "it_two_" + UUID.randomUUID().toString().substring(0, 8);
    String topic = name + ".events";
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofDays(2)), 1);
    pattern = RedisKeys.versionPattern(name, 1);
    infra.createTopic(topic, 4);
    infra.createTopic("tessera.deadletter." + name, 1);
    Registry.createTopic(infra.bootstrap());
    Registry.publish(infra.bootstrap(), live.published().definition(), 1);

    long from = Instant.now().minus(Duration.ofHours(6)).toEpochMilli();
    List<Map<String, Object>> events = Fixtures.events(11, 300, 30_000, from, from + 5 * 3_600_000L);
    var records = Fixtures.records(events);
    var expected = ExpectedTiles.of(live.compiled(), 1, events);
    infra.produce(topic, records.subList(0, 10_000));

    Instance a = Instance.start(name, "a");
    Instance b = Instance.start(name, "b");
    JsonNode created = awaitCreated(a, name);
    assertThat(created.get("version").asInt()).isEqualTo(1);

    // the other instance runs the job too, and the two split its tasks
    assertThat(eventually(WAIT, () -> {
      Set<String> ta = a.tasks(name);
      Set<String> tb = b.tasks(name);
      Set<String> both = new HashSet<>(ta);
      both.retainAll(tb);
      return !ta.isEmpty() && !tb.isEmpty() && both.isEmpty();
    })).as("both instances run tasks of the job: a=%s b=%s", a.tasks(name), b.tasks(name)).isTrue();

    try (KafkaProducer<String, String> producer = infra.producer()) {
      for (int i = 10_000; i < 20_000; i++) {
        producer.send(new ProducerRecord<>(topic, records.get(i).getKey(), records.get(i).getValue()));
        if (i % 1000 == 0) Thread.sleep(100);
      }
      producer.flush();
      a.process.destroyForcibly().waitFor();
      for (int i = 20_000; i < records.size(); i++) {
        producer.send(new ProducerRecord<>(topic, records.get(i).getKey(), records.get(i).getValue()));
      }
      producer.flush();
    }

    boolean done = eventually(WAIT, () -> ExpectedTiles.same(infra.hashes(pattern), expected));
    ExpectedTiles.assertSame(infra.hashes(pattern), expected);
    assertThat(done).isTrue();
    assertThat(eventually(WAIT, () -> b.tasks(name).size() >= 4))
        .as("the survivor took every task over: %s", b.tasks(name)).isTrue();
    JsonNode health = b.http.get("/actuator/health").json();
    assertThat(health.at("/components/streamingJobs/details/jobs/" + name + "/state").asString()).isEqualTo("RUNNING");
  }

  private static JsonNode awaitCreated(Instance i, String name) {
    JsonNode[] last = new JsonNode[1];
    assertThat(eventually(WAIT, () -> {
      Http.Response r = i.http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"" + name + "\", \"mode\": \"create\"}");
      if (r.status() == 201) last[0] = r.json();
      return r.status() == 201;
    })).as("the job is created through instance a").isTrue();
    return last[0];
  }

  /** One stream-service process. */
  record Instance(Process process, Http http) {
    static Instance start(String name, String id) {
      StreamProcess p = StreamProcess.start(infra.bootstrap(), CredentialRegistry.url(), Path.of("target", "two-instances", name, id),
          "two-instances-" + name + "-" + id,
          "--tessera.stream.flush-interval=100ms",
          "--tessera.stream.reconcile-interval=500ms",
          "--tessera.stream.lag-interval=300ms",
          // a dead instance leaves the group after 6 s instead of 45
          "--tessera.stream.streams-properties.consumer.session.timeout.ms=6000",
          "--tessera.stream.streams-properties.consumer.heartbeat.interval.ms=1000");
      processes.add(p.process());
      return new Instance(p.process(), p.http());
    }

    Set<String> tasks(String name) {
      try {
        Http.Response r = http.get("/api/v1/streaming-jobs/" + name);
        Set<String> out = new HashSet<>();
        if (r.status() == 200) r.json().path("tasks").forEach(t -> out.add(t.asString()));
        return out;
      } catch (RuntimeException down) {
        return Set.of();
      }
    }
  }
}
