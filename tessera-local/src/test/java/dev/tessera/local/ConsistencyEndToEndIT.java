package dev.tessera.local;

import dev.tessera.support.Topics;

import static dev.tessera.local.TestEvents.at;
import static dev.tessera.local.TestEvents.send;
import static dev.tessera.local.TestEvents.ts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Online/offline consistency with everything running for real (batch-service README "Consistency"):
 * the fetcher logs every result (sample rate 1) to {@code tessera.feature-log}; events go to Kafka
 * and, through the ingest job, to the warehouse; one event reaches the stream service too late (it
 * is dead-lettered, and lands in the warehouse); the feature log and the dead letters are ingested and
 * the consistency job runs over the day. Exactly the (fetch, feature) pairs the late event changes
 * mismatch, all attributed to lateness, and nothing is unexplained. Then every metric the Grafana
 * dashboard ({@code deploy/grafana}) queries is exported by one of the services.
 */
class ConsistencyEndToEndIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  private static final int USERS = 30;

  private final String name = "cons_e2e_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String topic = name + "_purchases";

  private String yaml() {
    return TestEvents.purchasesGroupBy(name, topic);
  }

  @Test
  void theLateEventsFeaturesAndNothingElseMismatchAllAttributedToLateness() throws Exception {
    LocalDate d = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    LocalDate day = d.plusDays(1);
    long b = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();   // batch end B = D+1 00:00
    Random r = new Random(11);
    List<Map<String, Object>> history = new ArrayList<>();
    List<Map<String, Object>> today = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < 12; i++) history.add(event(u, b - 3 * DAY + (long) (r.nextDouble() * 3 * DAY), r));
      for (int i = 0; i < 6; i++) today.add(event(u, b + (long) (r.nextDouble() * 23 * HOUR), r));
      today.add(event(u, b + 23 * HOUR + 50 * MINUTE, r));   // moves every stream task's time past the late event
    }
    // in time order, as live events come: only the one late event below is late for the stream
    history.sort(java.util.Comparator.comparingLong(TestEvents::ts));
    today.sort(java.util.Comparator.comparingLong(TestEvents::ts));
    int lateUser = 7;
    long lateTs = b + 12 * HOUR + 2 * MINUTE + 7_000;
    Map<String, Object> late = event(lateUser, lateTs, r);
    List<Long> times = List.of(b + HOUR, b + 5 * HOUR, b + 11 * HOUR + 55 * MINUTE, b + 12 * HOUR + 5 * MINUTE, b + 13 * HOUR,
        b + 16 * HOUR, b + 20 * HOUR, b + 23 * HOUR + 55 * MINUTE);

    CompiledGroupBy g = GroupByCompiler.compile(yaml()).orThrow();
    List<Map<String, Object>> applied = new ArrayList<>(history);
    applied.addAll(today);
    List<Map<String, Object>> warehouse = new ArrayList<>(applied);
    warehouse.add(late);
    Map<List<Object>, List<Row>> online = Entities.rowsByKey(g, applied);
    Map<List<Object>, List<Row>> offline = Entities.rowsByKey(g, warehouse);
    NaiveAggregator oracle = new NaiveAggregator(g);
    Map<String, Operation> operations = TestEvents.operations(g);

    try (StackFixture stack = StackFixture.start(Path.of("target", "consistency-e2e"), Map.of(
        Service.STREAM, Map.of("tessera.stream.partitioning", "source"),
        Service.FETCHER, Map.of("tessera.fetcher.feature-log.sample-rate", "1")))) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
          new StringSerializer(), new StringSerializer())) {
        Topics.ensure(stack.kafka(), topic, 4);
        Topics.ensure(stack.kafka(), "tessera.feature-log", 2);
        stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/groupbys", "application/yaml", yaml()).orThrow("publish");
        stack.startStreamingJob(name);

        send(producer, topic, history);
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
        stack.runJob("upload", Map.of("groupBy", name, "date", d.toString()));
        long sent = System.currentTimeMillis();
        send(producer, topic, today);
        stack.awaitStreamCaughtUp(name, sent);
        // The late event: its tile closed long ago for this task, so the stream dead-letters it.
        send(producer, topic, List.of(late));
        awaitLateDeadLetter(stack);
        Thread.sleep(3000);   // tiles flush every 200 ms and commit every second: let the last ones land

        // Fetches at tile-aligned times (exact), every one logged by the fetcher.
        List<Map<String, String>> body = new ArrayList<>();
        for (int u = 0; u < USERS; u++) body.add(Map.of("user_id", user(u)));
        Map<String, Long> expected = new LinkedHashMap<>();
        List<String> notSettled = new ArrayList<>();
        long fetches = 0;
        for (long t : times) {
          JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name + "?atMillis=" + t, body)
              .orThrow("fetch");
          for (JsonNode result : response.path("results")) {
            assertThat(result.path("status").asString()).as("%s", result).isEqualTo("Success");
            List<Object> key = List.of(result.path("entityKeys").path("user_id").asString());
            Map<String, Object> served = Json.toMap(result.path("features"));
            fetches++;
            for (String m : FeatureComparison.mismatches(oracle.valuesAt(online.getOrDefault(key, List.of()), t), served, operations)) {
              notSettled.add(key + " @" + at(t) + ": " + m);
            }
            for (String m : FeatureComparison.mismatches(oracle.valuesAt(offline.getOrDefault(key, List.of()), t), served, operations)) {
              assertThat(key).as("only the late event's key differs from the warehouse: %s", m).isEqualTo(List.of(user(lateUser)));
              assertThat(t).isGreaterThan(lateTs);
              expected.merge(m.substring(0, m.indexOf(':')), 1L, Long::sum);
            }
          }
        }
        assertThat(notSettled).as("online values equal the oracle over the events the stream applied").isEmpty();
        assertThat(expected).as("the late event changes some served values").isNotEmpty();

        // The logs and the day's events into the warehouse (the fetcher's log is asynchronous: ingest until all landed).
        stack.ingestFeatureLog(fetches);
        stack.runJob("ingest", Map.of("topic", "tessera.deadletter." + name, "format", "dead-letter"));
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));

        JsonNode view = stack.runJob("consistency", Map.of("groupBy", name, "startDate", day.toString(), "endDate", day.toString()));
        JsonNode result = view.path("result");
        assertThat(result.path("unexplained").asLong()).as("%s", result).isZero();
        assertThat(result.path("fetchesChecked").asLong()).isEqualTo(fetches);
        assertThat(result.path("badRows").path("total").asLong()).isZero();
        assertThat(result.path("lateEvents").asLong()).isEqualTo(1);
        for (JsonNode f : result.path("features")) {
          String feature = f.path("feature").asString();
          long n = expected.getOrDefault(feature, 0L);
          assertThat(f.path("rowsCompared").asLong()).as(feature).isEqualTo(fetches);
          assertThat(f.path("mismatches").asLong()).as(feature).isEqualTo(n);
          assertThat(f.path("causes").path("LATE_EVENT").asLong()).as(feature).isEqualTo(n);
          assertThat(f.path("causes").path("UNEXPLAINED").asLong()).as(feature).isZero();
          assertThat(f.path("causes").path("STALE_BATCH").asLong()).as(feature).isZero();
          assertThat(f.path("causes").path("VERSION_MISMATCH").asLong()).as(feature).isZero();
        }
        JsonNode report = stack.rest().get(stack.url(Service.BATCH) + "/api/v1/consistency/" + name).orThrow("report");
        assertThat(report.path("samples").size()).isPositive();
        for (JsonNode s : report.path("samples")) {
          assertThat(s.path("cause").asString()).isEqualTo("LATE_EVENT");
          assertThat(s.path("keys").path("user_id").asString()).isEqualTo(user(lateUser));
        }

        // Every service has now served, streamed, dead-lettered, run jobs and checked consistency: each
        // metric the Grafana dashboard queries must be on some service's Prometheus page.
        assertThat(DashboardQueries.exportedBy(stack)).as("metrics exported by the four services")
            .containsAll(DashboardQueries.dashboardMetricNames());
        long lateMismatches = expected.values().stream().mapToLong(Long::longValue).sum();
        assertThat(DashboardQueries.page(stack, Service.BATCH))
            .contains("tessera_consistency_mismatches{cause=\"LATE_EVENT\",groupBy=\"" + name + "\"} " + lateMismatches + ".0")
            .contains("tessera_consistency_mismatches{cause=\"UNEXPLAINED\",groupBy=\"" + name + "\"} 0.0");
        // The admin UI's Metrics page (the dashboard without Docker) reads all four services and
        // fills every panel: nothing unavailable, no metric missing.
        String metrics = DashboardQueries.metricsPage(stack);
        assertThat(metrics).contains("data-service=\"registry\"", "data-service=\"fetcher\"", "data-service=\"stream\"",
            "data-service=\"batch\"").doesNotContain("unavailable</span>").doesNotContain("Not exported yet")
            .contains("tessera_consistency_mismatches{cause=\"LATE_EVENT\",groupBy=\"" + name + "\"}");
      } finally {
        stack.deleteRedisKeys("tsr:{" + name + ":*");
        stack.deleteRedisKeys("tsr:upload:" + name + ":*");
      }
    }
  }

  private static Map<String, Object> event(int u, long ts, Random r) {
    return TestEvents.purchase(u, ts, r);
  }

  private static String user(int u) {
    return TestEvents.user(u);
  }

  private void awaitLateDeadLetter(StackFixture stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonNode job = stack.rest().get(stack.url(Service.STREAM) + "/api/v1/streaming-jobs/" + name).json();
      if (job.path("events").path("deadLettered").path("late").asLong() >= 1) return;
      assertThat(System.nanoTime()).as("the late event was not dead-lettered: %s\n%s", job, stack.logTail(Service.STREAM, 30))
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }
}
