package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.support.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20 end to end, on live traffic with everything running for real and the stream partitioned
 * by source: back-dated events, a late event beyond {@code allowedLateness}, a record keyed by
 * something else, a record without a key, an event 3 h ahead of its record time, an amount of
 * {@code 1e400}, and a {@code kill -9} of the stream service that the stack's supervisor restarts.
 * Afterwards online equals the oracle over exactly the events both pipelines accepted, both sides
 * refused the same records for the same reasons, and the consistency job gives every mismatch a
 * cause: nothing is unexplained.
 */
class AcceptanceEndToEndIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
  private static final long TILE = 5 * MINUTE;
  private static final int USERS = 12;

  private final String name = "accept_e2e_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String topic = name + "_purchases";

  private String yaml() {
    return TestEvents.purchasesGroupBy(name, topic);
  }

  @Test
  void everyMismatchHasACauseAndBothPipelinesAcceptTheSameEvents() throws Exception {
    long now = System.currentTimeMillis();
    Random r = new Random(20);
    List<Map<String, Object>> live = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < 5; i++) live.add(event(u, now - 50 * MINUTE + (long) (r.nextDouble() * 40 * MINUTE), r));
    }
    live.sort(java.util.Comparator.comparingLong(TestEvents::ts));
    Map<String, Object> misKeyed = event(1, now - 9 * MINUTE, r);
    Map<String, Object> unKeyed = event(2, now - 9 * MINUTE, r);
    Map<String, Object> future = event(3, now + 3 * HOUR, r);
    Map<String, Object> late = event(5, now - 3 * HOUR, r);
    Map<String, Object> backDated = event(6, now - 30 * MINUTE, r);
    List<Map<String, Object>> duringOutage = new ArrayList<>();
    for (int u = 0; u < USERS; u += 3) duringOutage.add(event(u, now - 8 * MINUTE, r));
    String nonFinite = "{\"user_id\": \"" + user(4) + "\", \"merchant\": \"amazon\", \"amount\": 1e400, \"ts\": " + (now - 9 * MINUTE) + "}";

    CompiledGroupBy g = GroupByCompiler.compile(yaml()).orThrow();
    List<Map<String, Object>> accepted = new ArrayList<>(live);
    accepted.addAll(List.of(misKeyed, unKeyed, backDated));
    accepted.addAll(duringOutage);
    Map<List<Object>, List<Row>> online = Entities.rowsByKey(g, accepted);   // the late event is in the warehouse only
    NaiveAggregator oracle = new NaiveAggregator(g);
    Map<String, Operation> operations = TestEvents.operations(g);
    ByteArrayOutputStream supervisorOut = new ByteArrayOutputStream();

    try (StackFixture stack = StackFixture.start(Path.of("target", "acceptance-e2e"), Map.of(
        Service.STREAM, Map.of("tessera.stream.partitioning", "source"),
        Service.FETCHER, Map.of("tessera.fetcher.feature-log.sample-rate", "1")));
        AutoCloseable supervised = stack.supervise(new PrintStream(supervisorOut, true, StandardCharsets.UTF_8));
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
            new StringSerializer(), new StringSerializer())) {
      try {
        Topics.ensure(stack.kafka(), topic, 4);
        Topics.ensure(stack.kafka(), "tessera.feature-log", 2);
        stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/groupbys", "application/yaml", yaml()).orThrow("publish");
        stack.startStreamingJob(name);
        List<Map<String, String>> everyone = new ArrayList<>();
        for (int u = 0; u < USERS; u++) everyone.add(Map.of("user_id", user(u)));

        long sent = System.currentTimeMillis();
        TestEvents.send(producer, topic, live);
        send(producer, "order-17", Json.MAPPER.writeValueAsString(misKeyed));
        send(producer, null, Json.MAPPER.writeValueAsString(unKeyed));
        send(producer, user(3), Json.MAPPER.writeValueAsString(future));
        send(producer, user(4), nonFinite);
        TestEvents.send(producer, topic, List.of(late));
        stack.awaitStreamCaughtUp(name, sent);
        Thread.sleep(3000);   // tiles flush every 200 ms and commit every second
        fetchNow(stack, everyone);   // before the back-dated event arrives: its fetches miss it

        sent = System.currentTimeMillis();
        TestEvents.send(producer, topic, List.of(backDated));
        stack.awaitStreamCaughtUp(name, sent);
        Thread.sleep(3000);
        fetchNow(stack, everyone);

        // kill -9: the supervisor restarts the stream service, which goes on from its committed state
        stack.kill(Service.STREAM);
        TestEvents.send(producer, topic, duringOutage);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!stack.isAlive(Service.STREAM)) {
          assertThat(System.nanoTime()).as("the supervisor did not restart the stream service: %s", supervisorOut).isLessThan(deadline);
          Thread.sleep(200);
        }
        stack.awaitHealthy(Service.STREAM, Duration.ofMinutes(4));
        stack.awaitStreamCaughtUp(name, System.currentTimeMillis());
        Thread.sleep(3000);
        assertThat(supervisorOut.toString(StandardCharsets.UTF_8)).contains("stream-service stopped unexpectedly").contains("stream-service restarted");

        // online equals the oracle over the events both pipelines accepted, at exact (tile-aligned) times
        long fetches = 2L * USERS;
        List<String> notEqual = new ArrayList<>();
        long lastTile = Math.floorDiv(System.currentTimeMillis(), TILE) * TILE;
        for (long t = lastTile - 2 * TILE; t <= lastTile; t += TILE) {
          JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name + "?atMillis=" + t, everyone)
              .orThrow("fetch");
          for (JsonNode result : response.path("results")) {
            List<Object> key = List.of(result.path("entityKeys").path("user_id").asString());
            fetches++;
            for (String m : FeatureComparison.mismatches(oracle.valuesAt(online.getOrDefault(key, List.of()), t), Json.toMap(result.path("features")),
                operations)) {
              notEqual.add(key + " @" + Instant.ofEpochMilli(t) + ": " + m);
            }
          }
        }
        assertThat(notEqual).as("online equals the oracle over the accepted events").isEmpty();
        fetchNow(stack, everyone);
        fetches += USERS;

        // (the stream's counts restarted with it: the dead letters are counted by the consistency job below)
        // the batch side: the events, the logs
        JsonNode ingest = stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
        assertThat(ingest.path("result").path("recordsInErrors").asLong()).as("future-dated and non-finite: %s", ingest).isEqualTo(2);
        long landed = 0;
        deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (landed < fetches) {
          landed += stack.runJob("ingest", Map.of("topic", "tessera.feature-log", "format", "feature-log")).path("result").path("recordsLanded").asLong();
          assertThat(System.nanoTime()).as("feature log records landed: %d of %d", landed, fetches).isLessThan(deadline);
          if (landed < fetches) Thread.sleep(1000);
        }
        stack.runJob("ingest", Map.of("topic", "tessera.deadletter." + name, "format", "dead-letter"));

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode view = stack.runJob("consistency", Map.of("groupBy", name, "startDate", today.minusDays(1).toString(),
            "endDate", today.toString()));
        JsonNode result = view.path("result");
        assertThat(result.path("unexplained").asLong()).as("%s", result).isZero();
        assertThat(result.path("fetchesChecked").asLong()).isEqualTo(fetches);
        assertThat(result.path("lateEvents").asLong()).isEqualTo(1);
        long explained = 0;
        for (JsonNode f : result.path("features")) {
          long causes = 0;
          for (var c : f.path("causes").properties()) causes += c.getValue().asLong();
          assertThat(causes).as("every mismatch of %s has one cause", f).isEqualTo(f.path("mismatches").asLong());
          explained += f.path("mismatches").asLong();
          assertThat(f.path("causes").path("UNEXPLAINED").asLong()).isZero();
        }
        assertThat(explained).as("the late and back-dated events made some fetches differ").isPositive();
      } finally {
        stack.deleteRedisKeys("tsr:{" + name + ":*");
      }
    }
  }

  private void send(KafkaProducer<String, String> producer, String key, String value) {
    producer.send(new ProducerRecord<>(topic, key, value));
    producer.flush();
  }

  /** Fetches without atMillis (as of now), logged by the fetcher. */
  private void fetchNow(StackFixture stack, List<Map<String, String>> keys) throws Exception {
    JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name, keys).orThrow("fetch");
    for (JsonNode result : response.path("results")) assertThat(result.path("status").asString()).as("%s", result).isEqualTo("Success");
    assertThat(response.toString()).as("no response holds a non-finite number").doesNotContain("NaN").doesNotContain("Infinity");
  }

  private static Map<String, Object> event(int u, long ts, Random r) {
    return TestEvents.purchase(u, ts, r);
  }

  private static String user(int u) {
    return TestEvents.user(u);
  }
}
