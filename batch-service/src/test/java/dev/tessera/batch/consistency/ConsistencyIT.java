package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.FeatureLog;
import dev.tessera.batch.testing.TestFailures;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.Tables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The consistency job end to end inside the service: events produced to Kafka and ingested into the
 * warehouse, a feature log in the fetcher's exact JSON format produced to Kafka (served values from the
 * common-agg oracle at each t over the events the stream applied) and ingested with
 * {@code format: feature-log}, one event that reached the stream too late (in the warehouse, missing
 * online, dead-lettered and ingested with {@code format: dead-letter}), stale and old-version fetches
 * and bad log rows. The job must find 0 mismatches where online and offline saw the same events, and
 * exactly the late event's keys and features mismatch, attributed to lateness, and nothing else.
 */
class ConsistencyIT extends BatchServiceIT {
  @org.springframework.beans.factory.annotation.Autowired
  dev.tessera.batch.api.JobViews views;

  static final long DAY = 86_400_000L;
  static final long MAR1 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  static final long MAR2 = MAR1 + DAY;
  static final long MAR3 = MAR2 + DAY;
  static final long LATE_TS = Instant.parse("2026-03-03T09:58:00Z").toEpochMilli();
  static final String LATE_USER = "u3";
  static final int USERS = 12;
  static final int FETCHES_PER_DAY = 8;

  record Fetch(String user, long t) {}

  @Test
  void everyMismatchIsExplainedAndOnlyTheLateEventsFeaturesMismatch() {
    String name = unique("cons");
    String eventsTopic = unique("cons_events");
    String events = unique("cons_purchases");
    GroupBy def = parse("""
        name: %s
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 1d]}
          - {inputColumn: amount, operation: COUNT, windows: [6h]}
          - {inputColumn: amount, operation: AVG, windows: [7d]}
          - {inputColumn: merchant, operation: LAST}
          - {inputColumn: amount, operation: MAX, windows: [1d], buckets: [merchant]}
        """.formatted(name, events, eventsTopic));
    publish(def, 1);
    publish(def, 2); // the live version is 2; fetches logged under 1 are a version mismatch
    CompiledGroupBy g = compile(def);
    Oracle oracle = new Oracle(g);

    // Events: to Kafka, then into the warehouse through the ingest job (as the batch side sees them).
    Random random = new Random(42);
    List<Map<String, Object>> raw = new ArrayList<>();
    String[] merchants = {"amazon", "ebay", "shop"};
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < 40; i++) {
        raw.add(event("u" + u, merchants[random.nextInt(3)], Math.round(random.nextDouble() * 10000) / 100.0,
            MAR1 + (long) (random.nextDouble() * 3 * DAY)));
      }
    }
    Map<String, Object> late = event(LATE_USER, "latecomer", 77.5, LATE_TS);
    raw.add(late);
    createTopic(eventsTopic, 2);
    // Stamped with their event times, as live producers stamp them: the attribution compares them with the fetches.
    produceAt(eventsTopic, raw.stream().map(e -> JSON.writeValueAsString(e)).toList(), raw.stream().map(e -> (Long) e.get("ts")).toList());
    runToCompletion("/api/v1/jobs/ingest", "{\"topic\": \"%s\", \"groupBy\": \"%s\"}".formatted(eventsTopic, name));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + events)).isEqualTo(raw.size());

    Map<String, List<Row>> all = rowsByUser(g, raw);
    Map<String, List<Row>> online = rowsByUser(g, raw.stream().filter(e -> e != late).toList());

    // Fetches at many times, logged as the fetcher logs them (values the stream + batch IR served: without the late event).
    List<Fetch> fetches = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (long day : new long[] {MAR2, MAR3}) {
        for (int i = 0; i < FETCHES_PER_DAY; i++) fetches.add(new Fetch("u" + u, day + 1 + (long) (random.nextDouble() * (DAY - 2))));
      }
    }
    List<String> log = new ArrayList<>();
    Map<String, Long> expectedLate = new HashMap<>();
    long march2Fetches = 0;
    for (Fetch f : fetches) {
      Map<String, Object> served = oracle.valuesAt(online.get(f.user()), f.t());
      log.add(FeatureLog.record(name, 2, f.user(), f.t(), served, false));
      if (f.t() < MAR3) march2Fetches++;
      // The features where the late event makes a difference, under the comparison rule.
      for (String m : oracle.mismatches(oracle.valuesAt(all.get(f.user()), f.t()), served)) {
        expectedLate.merge(m.substring(0, m.indexOf(':')), 1L, Long::sum);
      }
    }
    assertThat(expectedLate).as("the late event changes some served values").isNotEmpty();
    // Stale batch IR: the fetcher said so, and one feature is off.
    for (int i = 0; i < 3; i++) {
      long t = MAR3 + 3_600_000L * (i + 2);
      Map<String, Object> served = new LinkedHashMap<>(oracle.valuesAt(online.get("u5"), t));
      served.put("amount_sum_1d", served.get("amount_sum_1d") == null ? 1.0 : (Double) served.get("amount_sum_1d") + 1.0);
      log.add(FeatureLog.record(name, 2, "u5", t, served, true));
    }
    // Served under version 1: one feature differs.
    for (int i = 0; i < 2; i++) {
      long t = MAR3 + 3_600_000L * (i + 5);
      Map<String, Object> served = new LinkedHashMap<>(oracle.valuesAt(online.get("u6"), t));
      served.put("amount_count_6h", (Long) served.get("amount_count_6h") + 1);
      log.add(FeatureLog.record(name, 1, "u6", t, served, false));
    }
    // Bad rows: an unknown version, keys that are not the GroupBy's, an unknown GroupBy, not JSON at all.
    log.add(FeatureLog.record(name, 3, "u1", MAR3 + 1000, oracle.valuesAt(online.get("u1"), MAR3 + 1000), false));
    log.add(FeatureLog.record(name, 2, "u1", MAR3 + 2000, oracle.valuesAt(online.get("u1"), MAR3 + 2000), false).replace("\"user_id\"", "\"uid\""));
    log.add(FeatureLog.record("no_such_groupby_x", 1, "u1", MAR3 + 3000, Map.of(), false));
    log.add("{this is not json");

    String logTopic = unique("cons_flog");
    createTopic(logTopic, 2);
    produce(logTopic, log, MAR3 + 5000);
    String logTable = unique("cons_flog");
    // The log lands exactly once through the ingest path, across a crash before a commit (the first:
    // a poll may return the whole log at once, so a later commit may never come; IngestIT crashes
    // after partial commits).
    failures.arm(FailurePoints.INGEST_BEFORE_COMMIT, step -> true);
    long ingest = start("/api/v1/jobs/ingest",
        "{\"topic\": \"%s\", \"table\": \"%s\", \"format\": \"feature-log\"}".formatted(logTopic, logTable));
    assertThat(awaitJob(ingest).get("status").asString()).isEqualTo("FAILED");
    failures.disarm();
    post("/api/v1/jobs/" + ingest + "/restart", "", 202);
    JsonNode ingested = awaitJob(ingest);
    assertThat(ingested.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + logTable)).isEqualTo(log.size() - 1);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM (SELECT DISTINCT _partition, _offset FROM " + logTable + ") d"))
        .as("no record landed twice").isEqualTo(log.size() - 1);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + logTable + "_errors")).isEqualTo(1);

    String deadTopic = "tessera.deadletter." + name;
    createTopic(deadTopic, 1);
    Map<String, Object> dead = new LinkedHashMap<>();
    dead.put("kind", "late");
    dead.put("reason", "late: event time is in a closed tile");
    dead.put("groupBy", name);
    dead.put("version", 2);
    dead.put("sourceTopic", eventsTopic);
    dead.put("partition", 0);
    dead.put("offset", 42);
    dead.put("key", LATE_USER);
    dead.put("event", JSON.writeValueAsString(late));
    dead.put("eventTime", LATE_TS);
    dead.put("streamTime", LATE_TS + 7_200_000L);
    String malformedDead = "{\"kind\": \"malformed\", \"reason\": \"not JSON\", \"groupBy\": \"" + name + "\", \"event\": \"{oops\"}";
    produce(deadTopic, List.of(JSON.writeValueAsString(dead), malformedDead), null);
    String deadTable = unique("cons_dead");
    runToCompletion("/api/v1/jobs/ingest", "{\"topic\": \"%s\", \"table\": \"%s\", \"format\": \"dead-letter\"}".formatted(deadTopic, deadTable));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + deadTable)).isEqualTo(2);

    // 1. The day before the late event: online and offline saw the same events, so nothing differs.
    JsonNode clean = runToCompletion("/api/v1/jobs/consistency", """
        {"groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-02", "logTable": "%s", "deadLetterTable": "%s"}"""
        .formatted(name, logTable, deadTable)).get("result");
    assertThat(clean.get("unexplained").asLong()).isZero();
    assertThat(clean.get("features")).hasSize(g.features().size());
    for (JsonNode f : clean.get("features")) {
      assertThat(f.get("rowsCompared").asLong()).as(f.get("feature").asString()).isEqualTo(march2Fetches);
      assertThat(f.get("mismatches").asLong()).as(f.get("feature").asString()).isZero();
    }
    assertThat(clean.at("/badRows/total").asLong()).isZero();

    // 2. Both days: the late event's features mismatch for its key only, attributed to lateness; stale and version rows too.
    JsonNode view = runToCompletion("/api/v1/jobs/consistency", """
        {"groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-03", "logTable": "%s", "deadLetterTable": "%s", "partitions": 3}"""
        .formatted(name, logTable, deadTable));
    JsonNode result = view.get("result");
    assertThat(result.get("reportTable").asString()).isEqualTo(name + "_consistency_daily");
    assertThat(result.get("unexplained").asLong()).isZero();
    long checked = fetches.size() + 3 + 2;
    assertThat(result.get("fetchesChecked").asLong()).isEqualTo(checked);
    for (JsonNode f : result.get("features")) {
      String feature = f.get("feature").asString();
      long lateN = expectedLate.getOrDefault(feature, 0L);
      long staleN = feature.equals("amount_sum_1d") ? 3 : 0;
      long versionN = feature.equals("amount_count_6h") ? 2 : 0;
      assertThat(f.get("rowsCompared").asLong()).as(feature).isEqualTo(checked);
      assertThat(f.at("/causes/LATE_EVENT").asLong()).as(feature).isEqualTo(lateN);
      assertThat(f.at("/causes/STALE_BATCH").asLong()).as(feature).isEqualTo(staleN);
      assertThat(f.at("/causes/VERSION_MISMATCH").asLong()).as(feature).isEqualTo(versionN);
      assertThat(f.at("/causes/UNEXPLAINED").asLong()).as(feature).isZero();
      assertThat(f.get("mismatches").asLong()).as(feature).isEqualTo(lateN + staleN + versionN);
      assertThat(f.get("mismatchRate").asDouble()).as(feature).isEqualTo((double) (lateN + staleN + versionN) / checked);
      if (feature.equals("amount_sum_1d")) {
        assertThat(f.get("smape").asDouble()).isGreaterThan(0);
        assertThat(f.get("maxAbsDiff").asDouble()).isGreaterThanOrEqualTo(1.0 - 1e-9);
      }
      if (feature.equals("merchant_last")) assertThat(f.get("smape").isNull()).isTrue();
    }
    JsonNode bad = result.get("badRows");
    assertThat(bad.get("total").asLong()).isEqualTo(4);
    assertThat(bad.at("/reasons")).hasSize(4);
    assertThat(result.get("lateEvents").asLong()).isEqualTo(1);

    // Only the late event's key mismatches for lateness, in the samples too.
    List<Map<String, Object>> lateSamples = Tables.query(warehouse, "SELECT \"keys\", cause, as_of FROM " + name
        + "_consistency_samples WHERE cause = 'LATE_EVENT'");
    assertThat(lateSamples).isNotEmpty().allSatisfy(s -> {
      assertThat(s.get("keys").toString()).contains("\"" + LATE_USER + "\"");
      assertThat(((Number) s.get("as_of")).longValue()).isGreaterThan(LATE_TS);
    });
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + name + "_consistency_daily")).isEqualTo(2L * g.features().size());
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + name + "_consistency_daily WHERE unexplained > 0")).isZero();

    // 3. A crash right after a chunk commit, before its checkpoint, then a restart: the same counts, nothing counted twice.
    failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(0, 2));
    long crashed = start("/api/v1/jobs/consistency", """
        {"groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-03", "logTable": "%s", "deadLetterTable": "%s", "partitions": 1}"""
        .formatted(name, logTable, deadTable));
    assertThat(awaitJob(crashed).get("status").asString()).isEqualTo("FAILED");
    failures.disarm();
    post("/api/v1/jobs/" + crashed + "/restart", "", 202);
    JsonNode restarted = awaitJob(crashed);
    assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(restarted.at("/result/fetchesChecked").asLong()).isEqualTo(checked);
    for (int i = 0; i < g.features().size(); i++) {
      JsonNode before = result.get("features").get(i);
      JsonNode after = restarted.at("/result/features").get(i);
      assertThat(after.get("rowsCompared")).isEqualTo(before.get("rowsCompared"));
      assertThat(after.get("mismatches")).isEqualTo(before.get("mismatches"));
      assertThat(after.get("causes")).isEqualTo(before.get("causes"));
    }
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + name + "_consistency_daily")).as("days replaced, not added")
        .isEqualTo(2L * g.features().size());
    view = restarted;

    // The report endpoint the admin UI reads, and the gauges.
    JsonNode report = JSON.readTree(http.get().uri("/api/v1/consistency/" + name).exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody());
    assertThat(report.at("/latest/jobId").asLong()).isEqualTo(view.get("id").asLong());
    assertThat(report.get("days")).hasSize(2);
    assertThat(report.at("/days/0/mismatches").asLong()).isZero();
    assertThat(report.at("/days/1/mismatches").asLong()).isPositive();
    assertThat(report.get("samples")).isNotEmpty();
    String metrics = new String(http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody());
    assertThat(metrics).contains("tessera_consistency_unexplained{feature=\"amount_sum_1h\",groupBy=\"" + name + "\"} 0.0");

    // After a restart of the service the gauges come back from the job repository.
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new ConsistencyMetrics(registry).restore(views);
    assertThat(registry.get("tessera.consistency.rows_compared").tag("groupBy", name).tag("feature", "amount_count_6h").gauge().value())
        .isEqualTo((double) checked);
    assertThat(registry.get("tessera.consistency.unexplained").tag("groupBy", name).tag("feature", "amount_count_6h").gauge().value()).isZero();
    assertThat(registry.get("tessera.consistency.bad_rows").tag("groupBy", name).gauge().value()).isEqualTo(4.0);

    // Not a feature log at all: a 400 naming the field.
    JsonNode problem = post("/api/v1/jobs/consistency", """
        {"groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-01", "logTable": "%s"}""".formatted(name, events), 400);
    assertThat(problem.toString()).contains("endDate").contains("logTable");
  }

  /**
   * Fetches logged under an older version are recomputed with that version's definition, which the
   * job gets from the registry's versions endpoint (here {@link dev.tessera.batch.testing.RecordedRegistry},
   * standing in for it): version 1 (a where and other windows) and version 3 (live) both compare
   * with 0 mismatches; version 2, which the registry does not know, is compared with the live
   * version and its differences are VERSION_MISMATCH, as before.
   */
  @Test
  void eachLoggedVersionIsRecomputedWithItsOwnDefinition() {
    String name = unique("consv");
    String eventsTopic = unique("consv_events");
    String events = unique("consv_purchases");
    String source = """
        name: %s
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG}
              query:
                wheres: [%s]
                timeColumn: ts
        """;
    GroupBy v1 = parse(source.formatted(name, events, eventsTopic, "'amount > 50.0'") + """
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 12h]}
          - {inputColumn: amount, operation: COUNT, windows: [6h]}
        """);
    GroupBy live = parse(source.formatted(name, events, eventsTopic, "'amount >= 0.0'") + """
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1d]}
          - {inputColumn: amount, operation: COUNT, windows: [6h]}
        """);
    dev.tessera.batch.testing.RecordedRegistry.INSTANCE.record(
        new dev.tessera.agg.registry.PublishedGroupBy(name, 1, v1, Instant.parse("2026-01-01T00:00:00Z"), "test"));
    publish(live, 3); // version 2 was live in between; the registry has purged it
    CompiledGroupBy g1 = compile(v1);
    CompiledGroupBy g3 = compile(live);
    Oracle o1 = new Oracle(g1);
    Oracle o3 = new Oracle(g3);

    Random random = new Random(7);
    List<Map<String, Object>> raw = new ArrayList<>();
    int users = USERS;
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < 30; i++) {
        raw.add(event("u" + u, "shop", Math.round(random.nextDouble() * 10000) / 100.0, MAR1 + (long) (random.nextDouble() * 2 * DAY)));
      }
    }
    createTopic(eventsTopic, 1);
    // Stamped with their event times, as live producers stamp them: the attribution compares them with the fetches.
    produceAt(eventsTopic, raw.stream().map(e -> JSON.writeValueAsString(e)).toList(), raw.stream().map(e -> (Long) e.get("ts")).toList());
    runToCompletion("/api/v1/jobs/ingest", "{\"topic\": \"%s\", \"groupBy\": \"%s\"}".formatted(eventsTopic, name));
    Map<String, List<Row>> rows1 = rowsByUser(g1, raw);
    Map<String, List<Row>> rows3 = rowsByUser(g3, raw);

    List<String> log = new ArrayList<>();
    long n1 = 0, n2 = 0, n3 = 0;
    for (int u = 0; u < users; u++) {
      String user = "u" + u;
      for (int i = 0; i < 7; i++) {
        long t = MAR2 + 1 + (long) (random.nextDouble() * (DAY - 2));
        if (i < 2) {
          log.add(FeatureLog.record(name, 1, user, t, o1.valuesAt(rows1.get(user), t), false));
          n1++;
        } else if (i == 2) {
          Map<String, Object> served = new LinkedHashMap<>(o3.valuesAt(rows3.get(user), t));
          served.put("amount_count_6h", (Long) served.get("amount_count_6h") + 1);
          log.add(FeatureLog.record(name, 2, user, t, served, false));
          n2++;
        } else {
          log.add(FeatureLog.record(name, 3, user, t, o3.valuesAt(rows3.get(user), t), false));
          n3++;
        }
      }
    }
    String logTopic = unique("consv_flog");
    createTopic(logTopic, 1);
    produce(logTopic, log, MAR2 + 5000);
    String logTable = unique("consv_flog");
    runToCompletion("/api/v1/jobs/ingest", "{\"topic\": \"%s\", \"table\": \"%s\", \"format\": \"feature-log\"}".formatted(logTopic, logTable));

    JsonNode result = runToCompletion("/api/v1/jobs/consistency", """
        {"groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-02", "logTable": "%s", "partitions": 2}"""
        .formatted(name, logTable)).get("result");
    assertThat(result.get("unexplained").asLong()).isZero();
    assertThat(result.get("fetchesChecked").asLong()).isEqualTo(n1 + n2 + n3);
    assertThat(result.get("versionsUnavailable").asLong()).isEqualTo(n2);
    assertThat(result.get("versionsCompared").toString()).isEqualTo("[1,3]");
    Map<String, long[]> expected = Map.of( // rowsCompared, VERSION_MISMATCH
        "amount_sum_1h", new long[] {n1, 0}, "amount_sum_12h", new long[] {n1, 0},
        "amount_sum_1d", new long[] {n2 + n3, 0}, "amount_count_6h", new long[] {n1 + n2 + n3, n2});
    assertThat(result.get("features")).hasSize(expected.size());
    for (JsonNode f : result.get("features")) {
      String feature = f.get("feature").asString();
      long[] e = expected.get(feature);
      assertThat(e).as(feature).isNotNull();
      assertThat(f.get("rowsCompared").asLong()).as(feature).isEqualTo(e[0]);
      assertThat(f.get("mismatches").asLong()).as(feature).isEqualTo(e[1]);
      assertThat(f.at("/causes/VERSION_MISMATCH").asLong()).as(feature).isEqualTo(e[1]);
    }

    // A crash after a chunk, then a restart: the checkpoint holds every version's readers, nothing is counted twice.
    failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(0, 1));
    long crashed = start("/api/v1/jobs/consistency", """
        {"groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-02", "logTable": "%s", "partitions": 1}"""
        .formatted(name, logTable));
    assertThat(awaitJob(crashed).get("status").asString()).isEqualTo("FAILED");
    failures.disarm();
    post("/api/v1/jobs/" + crashed + "/restart", "", 202);
    JsonNode restarted = awaitJob(crashed);
    assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(restarted.at("/result/fetchesChecked").asLong()).isEqualTo(n1 + n2 + n3);
    assertThat(restarted.at("/result/unexplained").asLong()).isZero();
    assertThat(restarted.at("/result/features").toString()).isEqualTo(result.get("features").toString());
  }

  static Map<String, Object> event(String user, String merchant, double amount, long ts) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("user_id", user);
    e.put("merchant", merchant);
    e.put("amount", amount);
    e.put("ts", ts);
    return e;
  }

  static Map<String, List<Row>> rowsByUser(CompiledGroupBy g, List<Map<String, Object>> raw) {
    Map<String, List<Row>> out = new HashMap<>();
    for (int u = 0; u < USERS; u++) out.put("u" + u, new ArrayList<>());
    for (Map<String, Object> e : raw) {
      if (g.apply(0, e) instanceof SourceResult.Accepted a) out.get((String) e.get("user_id")).add(a.row());
    }
    out.values().forEach(rows -> rows.sort(java.util.Comparator.comparingLong(Row::ts)));
    return out;
  }
}
