package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.agg.row.Row;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.FeatureLog;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.RecordedRegistry;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.testing.TestFailures;
import dev.tessera.batch.warehouse.ColumnKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The consistency job of a Join end to end inside the service: a Join of three GroupBys on three
 * entities (the buyer, the shop, the pair) with request fields and derivations; events in the
 * warehouse; the Join's served rows logged as the fetcher logs them (each part's features from the
 * common-agg oracle over the events the stream applied, put together and derived by the Join's own
 * {@code CompiledJoin.row}), on the feature log topic with a GroupBy record among them, and ingested
 * with {@code format: feature-log}; one event that reached the streams too late (in the warehouse,
 * missing online, dead-lettered by each GroupBy's stream job). The job must be quiet on a healthy day,
 * and on the day of the late event explain every mismatch: LATE_EVENT in each part and derived column
 * the late event reaches, STALE_BATCH for a part the fetcher called stale, VERSION_MISMATCH for a Join
 * version (or a part's GroupBy version) the registry does not know, ARRIVED_AFTER_FETCH in each part
 * and derived column an event reaches that arrived in Kafka after the row was fetched (the events carry
 * their record times, as ingest lands them), UNEXPLAINED for exactly the tampered part column and the
 * tampered derived column; rows of a failed part are not compared.
 */
class JoinConsistencyIT extends BatchServiceIT {
  @org.springframework.beans.factory.annotation.Autowired
  dev.tessera.batch.api.JobViews views;

  static final long HOUR = 3_600_000L;
  static final long DAY = 24 * HOUR;
  static final long MAR1 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  static final long MAR2 = MAR1 + DAY;
  static final long MAR3 = MAR2 + DAY;
  static final long LATE_TS = Instant.parse("2026-03-03T09:58:00Z").toEpochMilli();
  static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4", "u5");
  static final List<String> SHOPS = List.of("m0", "m1", "m2", "m3");
  /** A row fetched at FRESH_T, 20 minutes after an event of its buyer and shop that reached Kafka a minute after the fetch. */
  static final long FRESH_T = Instant.parse("2026-03-03T10:00:00Z").toEpochMilli();
  static final long FRESH_TS = FRESH_T - 20 * 60_000L;
  static final long FRESH_RECORDED = FRESH_T + 60_000L;
  /** Every cause: those the story does not give must stay 0. */
  static final List<String> CAUSES = java.util.Arrays.stream(Cause.values()).map(Enum::name).toList();

  /** The test's world: the GroupBys with their entities' events (as the stream saw them and as the warehouse has them). */
  record Part(CompiledGroupBy g, Oracle oracle, Map<List<Object>, List<Row>> online, Map<List<Object>, List<Row>> all) {
    Map<String, Object> values(Map<List<Object>, List<Row>> rows, List<Object> key, long t) {
      return oracle.valuesAt(rows.getOrDefault(key, List.of()), t);
    }
  }

  String join;
  String shopPrefix;
  CompiledJoin live;
  CompiledJoin v2;
  List<Part> parts;
  /** column -> {compared, then the mismatches of each of {@link #CAUSES}}, per day range. */
  final Map<String, long[]> expectedMar2 = new TreeMap<>();
  final Map<String, long[]> expectedAll = new TreeMap<>();
  final List<String> log = new ArrayList<>();
  long rowsMar2;
  long rowsAll;
  final Random random = new Random(11);

  @Test
  void everyMismatchOfAJoinsServedRowsIsExplainedAndAHealthyDayIsQuiet() {
    setUp();
    String logTable = unique("jc_flog");
    String deadTable = unique("jc_dead");
    ingestLog(logTable);
    ingestDeadLetters(deadTable);

    // 1. A healthy day: online and offline saw the same events; nothing differs, every column of every row is compared.
    JsonNode clean = runToCompletion("/api/v1/jobs/consistency", """
        {"join": "%s", "startDate": "2026-03-02", "endDate": "2026-03-02", "logTable": "%s", "deadLetterTable": "%s"}"""
        .formatted(join, logTable, deadTable)).get("result");
    assertThat(clean.get("unexplained").asLong()).isZero();
    assertThat(clean.get("rowsChecked").asLong()).isEqualTo(rowsMar2);
    assertThat(clean.at("/badRows/total").asLong()).isZero();
    assertThat(clean.get("joinVersionsCompared").toString()).isEqualTo("[2,3]");
    assertCounts(clean, expectedMar2);
    for (JsonNode f : clean.get("features")) assertThat(f.get("mismatches").asLong()).as(f.get("feature").asString()).isZero();

    // 2. Both days, 3 partitions: every mismatch explained but the two tampered values.
    JsonNode view = runToCompletion("/api/v1/jobs/consistency", """
        {"join": "%s", "startDate": "2026-03-02", "endDate": "2026-03-03", "logTable": "%s", "deadLetterTable": "%s", "partitions": 3}"""
        .formatted(join, logTable, deadTable));
    JsonNode result = view.get("result");
    assertThat(result.get("reportTable").asString()).isEqualTo(join + "_join_consistency_daily");
    assertThat(result.get("rowsChecked").asLong()).isEqualTo(rowsAll);
    assertThat(result.get("failureRows").asLong()).isEqualTo(1);
    assertThat(result.get("partialFailureRows").asLong()).isEqualTo(1);
    assertThat(result.get("unexplained").asLong()).isEqualTo(2);
    assertThat(result.get("joinVersionsUnavailable").asLong()).as("the version 1 rows").isEqualTo(2);
    assertThat(result.get("unavailableJoinVersions").toString()).isEqualTo("[1]");
    assertThat(result.get("groupByVersionsUnavailable").asLong()).as("the buyer part logged as version 7").isEqualTo(1);
    assertThat(result.get("derivationErrors").asLong()).isZero();
    assertThat(result.get("lateEvents").asLong()).as("one per GroupBy").isEqualTo(3);
    assertCounts(result, expectedAll);
    Map<String, JsonNode> byColumn = byName(result.get("features"), "feature");
    assertThat(byColumn.get("buyer_amount_sum_1h").at("/causes/UNEXPLAINED").asLong()).isEqualTo(1);
    assertThat(byColumn.get("new_pair").at("/causes/UNEXPLAINED").asLong()).isEqualTo(1);
    assertThat(byColumn.get(shopPrefix + "_amount_count_1d").at("/causes/STALE_BATCH").asLong()).isEqualTo(1);
    assertThat(byColumn.get("buyer_amount_count_6h").at("/causes/VERSION_MISMATCH").asLong()).isEqualTo(2);
    assertThat(byColumn.get("buyer_amount_sum_1d").at("/causes/VERSION_MISMATCH").asLong()).isEqualTo(1);
    assertThat(byColumn.get("amount_vs_sum").at("/causes/VERSION_MISMATCH").asLong()).as("inherited from buyer_amount_sum_1d").isEqualTo(1);
    // The fresh event reached Kafka after the row's fetch: each part it reaches, and the derivation reading the buyer's sum.
    for (String column : List.of("buyer_amount_sum_1h", "buyer_amount_sum_1d", shopPrefix + "_amount_count_1d", "pair_amount_count_30d",
        "amount_vs_sum")) {
      assertThat(byColumn.get(column).at("/causes/ARRIVED_AFTER_FETCH").asLong()).as(column).isEqualTo(1);
    }
    assertThat(byColumn.get("buyer_amount_sum_1d").at("/freshnessDelays/<=1h").asLong()).as("fetched 20 min after the event").isEqualTo(1);
    long late = 0;
    for (JsonNode f : result.get("features")) late += f.at("/causes/LATE_EVENT").asLong();
    assertThat(late).as("the late event reaches some columns").isPositive();
    assertThat(byColumn.get("buyer_amount_sum_1d").get("part").asString()).isEqualTo("buyer");
    assertThat(byColumn.get("new_pair").get("part").isNull()).isTrue();
    // The per-part breakdown: rows compared per part (the failed part's rows are not), rows whose part failed online.
    Map<String, JsonNode> byPart = byName(result.get("parts"), "part");
    assertThat(byPart.get(shopPrefix).get("rowsFailed").asLong()).as("the PartialFailure row").isEqualTo(1);
    assertThat(byPart.get(shopPrefix).get("rowsCompared").asLong()).isEqualTo(rowsAll - 1);
    assertThat(byPart.get("buyer").get("rowsCompared").asLong()).isEqualTo(rowsAll);
    assertThat(byPart.get("buyer").get("groupBy").asString()).isEqualTo(parts.get(0).g().name());
    assertThat(byPart.get("buyer").at("/causes/UNEXPLAINED").asLong()).isEqualTo(1);
    assertThat(byPart.get(null).get("derived").asBoolean()).as("the derived columns together").isTrue();
    assertThat(byPart.get(null).at("/causes/UNEXPLAINED").asLong()).isEqualTo(1);

    // The samples name the tampered columns, their part and the row's Join keys.
    List<Map<String, Object>> unexplained = Tables.query(warehouse, "SELECT feature, part, \"keys\", logged_version FROM " + join
        + "_join_consistency_samples WHERE cause = 'UNEXPLAINED' ORDER BY feature");
    assertThat(unexplained).hasSize(2);
    assertThat(unexplained.get(0).get("feature")).isEqualTo("buyer_amount_sum_1h");
    assertThat(unexplained.get(0).get("part")).isEqualTo("buyer");
    assertThat(unexplained.get(0).get("keys").toString()).contains("\"buyer\"").contains("\"shop\"");
    assertThat(unexplained.get(1).get("feature")).isEqualTo("new_pair");
    assertThat(unexplained.get(1).get("part")).isNull();

    // 3. Crashes after a compute chunk and after a derive chunk, then restarts: the same counts, nothing counted twice.
    for (var crash : List.of(TestFailures.partitionAfterChunks(0, 2), derive(TestFailures.partitionAfterChunks(1, 2)))) {
      failures.arm(FailurePoints.CHUNK_COMMITTED, crash);
      long crashed = start("/api/v1/jobs/consistency", """
          {"join": "%s", "startDate": "2026-03-02", "endDate": "2026-03-03", "logTable": "%s", "deadLetterTable": "%s", "partitions": 2}"""
          .formatted(join, logTable, deadTable));
      assertThat(awaitJob(crashed).get("status").asString()).isEqualTo("FAILED");
      failures.disarm();
      post("/api/v1/jobs/" + crashed + "/restart", "", 202);
      JsonNode restarted = awaitJob(crashed);
      assertThat(restarted.get("status").asString()).as(restarted.get("errors").toString()).isEqualTo("COMPLETED");
      assertThat(counts(restarted.at("/result/features"))).isEqualTo(counts(result.get("features")));
      assertThat(restarted.at("/result/parts").toString()).isEqualTo(result.get("parts").toString());
      view = restarted;
    }
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'tessera_tmp_"
        + view.get("id").asLong() + "_%'")).as("work tables are dropped").isZero();

    // The report endpoint, and the gauges with a join tag.
    JsonNode report = JSON.readTree(http.get().uri("/api/v1/consistency/join/" + join).exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody());
    assertThat(report.at("/latest/jobId").asLong()).isEqualTo(view.get("id").asLong());
    assertThat(report.at("/latest/version").asLong()).isEqualTo(3);
    assertThat(report.get("days")).hasSize(2);
    assertThat(report.at("/days/0/mismatches").asLong()).isZero();
    assertThat(report.at("/days/1/unexplained").asLong()).isEqualTo(2);
    Map<String, JsonNode> reportColumns = byName(report.get("columns"), "feature");
    assertThat(reportColumns.get("new_pair").at("/causes/UNEXPLAINED").asLong()).isEqualTo(1);
    assertThat(reportColumns.get("buyer_amount_sum_1h").get("part").asString()).isEqualTo("buyer");
    assertThat(report.get("parts").toString()).contains("\"part\":\"" + shopPrefix + "\"");
    assertThat(report.get("samples").get(0).get("cause").asString()).isEqualTo("UNEXPLAINED");
    assertThat(report.get("samples").get(0).has("part")).isTrue();
    http.get().uri("/api/v1/consistency/join/no_such_join_x").exchange().expectStatus().isNotFound();
    String metrics = new String(http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody());
    assertThat(metrics).contains("tessera_consistency_unexplained{feature=\"buyer_amount_sum_1h\",join=\"" + join + "\",part=\"buyer\"} 1.0");
    assertThat(metrics).contains("tessera_consistency_unexplained{join=\"" + join + "\",part=\"buyer\"} 1.0");
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    new ConsistencyMetrics(registry).restore(views);
    assertThat(registry.get("tessera.consistency.unexplained").tag("join", join).tag("feature", "new_pair").gauge().value()).isEqualTo(1.0);

    // Requests that cannot run: both names, an unknown Join, a log without Join rows.
    assertThat(post("/api/v1/jobs/consistency", """
        {"join": "%s", "groupBy": "%s", "startDate": "2026-03-02", "endDate": "2026-03-02"}""".formatted(join, parts.get(0).g().name()), 400)
        .toString()).contains("either groupBy or join");
    assertThat(post("/api/v1/jobs/consistency", """
        {"join": "no_such_join_x", "startDate": "2026-03-02", "endDate": "2026-03-02"}""", 400).toString()).contains("no Join 'no_such_join_x'");
    assertThat(post("/api/v1/jobs/consistency", """
        {"join": "%s", "startDate": "2026-03-02", "endDate": "2026-03-02", "logTable": "%s_joins"}""".formatted(join, logTable), 400)
        .toString()).contains("logTable");
  }

  /** A crash condition limited to the derive step. */
  static java.util.function.Predicate<org.springframework.batch.core.step.StepExecution> derive(
      java.util.function.Predicate<org.springframework.batch.core.step.StepExecution> when) {
    return s -> s.getStepName().startsWith(ConsistencyJobConfiguration.DERIVE + ".partition") && when.test(s);
  }

  /** Per column its counts (not the SMAPE, a floating sum whose order depends on the partitions). */
  static Map<String, String> counts(JsonNode features) {
    Map<String, String> out = new TreeMap<>();
    features.forEach(f -> out.put(f.get("feature").asString(), f.get("rowsCompared") + " " + f.get("mismatches") + " " + f.get("causes")));
    return out;
  }

  static Map<String, JsonNode> byName(JsonNode array, String field) {
    Map<String, JsonNode> out = new HashMap<>();
    array.forEach(n -> out.put(n.get(field).isNull() ? null : n.get(field).asString(), n));
    return out;
  }

  /** Each column's compared rows and causes as the test expects them. */
  static void assertCounts(JsonNode result, Map<String, long[]> expected) {
    Map<String, JsonNode> columns = byName(result.get("features"), "feature");
    assertThat(columns.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((column, e) -> {
      JsonNode f = columns.get(column);
      assertThat(f.get("rowsCompared").asLong()).as(column + " compared").isEqualTo(e[0]);
      long mismatches = 0;
      for (int i = 0; i < CAUSES.size(); i++) {
        assertThat(f.at("/causes/" + CAUSES.get(i)).asLong()).as(column + " " + CAUSES.get(i)).isEqualTo(e[1 + i]);
        mismatches += e[1 + i];
      }
      assertThat(f.get("mismatches").asLong()).as(column + " mismatches").isEqualTo(mismatches);
    });
  }

  // ---- the world ----

  void setUp() {
    String events = unique("jc_purchases");
    String topic = unique("jc_events");
    String source = """
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        """.formatted(events, topic);
    GroupBy user = parse("name: " + unique("jc_user") + "\nonline: true\nkeys: [user_id]\n" + source + """
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 1d]}
          - {inputColumn: amount, operation: COUNT, windows: [6h]}
          - {inputColumn: merchant, operation: LAST}
        """);
    GroupBy shop = parse("name: " + unique("jc_shop") + "\nonline: true\nkeys: [merchant]\n" + source + """
        aggregations:
          - {inputColumn: amount, operation: COUNT, windows: [1d]}
          - {inputColumn: amount, operation: AVG, windows: [7d]}
        """);
    GroupBy pair = parse("name: " + unique("jc_pair") + "\nonline: true\nkeys: [user_id, merchant]\n" + source + """
        aggregations:
          - {inputColumn: amount, operation: COUNT, windows: [30d]}
        """);
    for (GroupBy g : List.of(user, shop, pair)) publish(g, 1);
    shopPrefix = shop.name();

    // Events in the warehouse; the late one reached the streams too late (missing online).
    List<Map<String, Object>> raw = new ArrayList<>();
    for (String u : USERS) {
      for (int i = 0; i < 30; i++) {
        raw.add(ConsistencyIT.event(u, SHOPS.get(random.nextInt(SHOPS.size())), Math.round(random.nextDouble() * 10000) / 100.0,
            MAR1 + (long) (random.nextDouble() * 3 * DAY)));
      }
    }
    Map<String, Object> lateEvent = ConsistencyIT.event("u3", "m1", 77.5, LATE_TS);
    raw.add(lateEvent);
    // Applied by the stream, but it reached Kafka after the fetch of the ARRIVED_AFTER_FETCH row (buyer u1, shop m2).
    Map<String, Object> freshEvent = ConsistencyIT.event("u1", "m2", 33.25, FRESH_TS);
    raw.add(freshEvent);
    // The record times ingest lands beside the events: each reached Kafka at its event time, as live producers stamp them,
    // the late one when the stream dead-lettered it, the fresh one after the fetch.
    List<Map<String, Object>> stamped = new ArrayList<>();
    for (Map<String, Object> e : raw) {
      Map<String, Object> s = new LinkedHashMap<>(e);
      s.put(RecordTimes.INGEST_TIMESTAMP, e == lateEvent ? LATE_TS + 2 * HOUR : e == freshEvent ? FRESH_RECORDED : e.get("ts"));
      stamped.add(s);
    }
    var d = warehouse.dialect();
    Tables.execute(warehouse, "CREATE TABLE " + events + " (user_id " + d.type(ColumnKind.TEXT) + ", merchant " + d.type(ColumnKind.TEXT)
        + ", amount " + d.type(ColumnKind.DOUBLE) + ", ts " + d.type(ColumnKind.BIGINT) + ", " + RecordTimes.INGEST_TIMESTAMP + " "
        + d.type(ColumnKind.BIGINT) + ")");
    Tables.insert(warehouse, events, List.of("user_id", "merchant", "amount", "ts", RecordTimes.INGEST_TIMESTAMP), stamped);
    List<Map<String, Object>> online = raw.stream().filter(e -> e != lateEvent).toList();
    parts = new ArrayList<>();
    for (GroupBy g : List.of(user, shop, pair)) {
      CompiledGroupBy c = compile(g);
      parts.add(new Part(c, new Oracle(c), rowsByKey(c, online), rowsByKey(c, raw)));
    }

    join = unique("jc_model");
    String joinYaml = """
        name: %s
        online: true
        left: {table: %s_left, timeColumn: ts, schema: {buyer: STRING, shop: STRING, amount_now: DOUBLE, channel: STRING, ts: LONG}}
        parts:
          - {groupBy: %s, keyMapping: {buyer: user_id}, prefix: buyer}
          - {groupBy: %s, keyMapping: {shop: merchant}}
          - {groupBy: %s, keyMapping: {buyer: user_id, shop: merchant}, prefix: pair}
        request: [amount_now, channel]
        derivations:
          - {name: amount_vs_sum, expression: "%s"}
          - {name: new_pair, expression: "pair_amount_count_30d == 0"}
          - {name: shop_busy, expression: "%s_amount_count_1d > 3"}
        """;
    // Version 2 derives amount_vs_sum otherwise: its rows must be recomputed with their own definition.
    Join j2 = readJoin(joinYaml.formatted(join, join, user.name(), shop.name(), pair.name(), "amount_now * 2.0 / buyer_amount_sum_1d",
        shop.name()));
    Join j3 = readJoin(joinYaml.formatted(join, join, user.name(), shop.name(), pair.name(), "amount_now / buyer_amount_sum_1d",
        shop.name()));
    RecordedRegistry.INSTANCE.record(new PublishedJoin(join, 2, j2, Instant.parse("2026-01-01T00:00:00Z"), "test"));
    RecordedRegistry.INSTANCE.record(new PublishedJoin(join, 3, j3, Instant.parse("2026-02-01T00:00:00Z"), "test"));
    GroupByResolver resolver = (name, version) -> parts.stream().filter(p -> p.g().name().equals(name)).findFirst()
        .<GroupByResolver.Resolution>map(p -> new GroupByResolver.Found(1, p.g())).orElse(new GroupByResolver.Missing(name));
    v2 = JoinCompiler.compile(j2, resolver).orThrow();
    live = JoinCompiler.compile(j3, resolver).orThrow();

    // Healthy rows of both days (version 3, and a few of version 2 on the first day).
    for (long day : new long[] {MAR2, MAR3}) {
      for (String u : USERS) {
        for (int i = 0; i < 5; i++) {
          served(day == MAR2 && i == 0 && USERS.indexOf(u) < 3 ? 2 : 3, u, SHOPS.get(random.nextInt(SHOPS.size())),
              day + 1 + (long) (random.nextDouble() * (DAY - 2)), Tamper.NONE);
        }
      }
    }
    // The day of the late event: rows the late event cannot reach (buyers u0-u2, shops m0 and m2), each with one story.
    served(3, "u0", "m0", MAR3 + 2 * HOUR, Tamper.PART_VALUE);
    served(3, "u1", "m2", MAR3 + 3 * HOUR, Tamper.DERIVED_VALUE);
    served(3, "u2", "m0", MAR3 + 4 * HOUR, Tamper.STALE_SHOP);
    served(1, "u0", "m2", MAR3 + 5 * HOUR, Tamper.OLD_JOIN_VERSION);
    served(1, "u1", "m0", MAR3 + 6 * HOUR, Tamper.OLD_JOIN_VERSION);
    served(3, "u2", "m2", MAR3 + 7 * HOUR, Tamper.UNKNOWN_PART_VERSION);
    served(3, "u1", "m2", MAR3 + 8 * HOUR, Tamper.SHOP_FAILED);
    served(3, "u0", "m0", MAR3 + 9 * HOUR, Tamper.ALL_FAILED);
    served(3, "u1", "m2", FRESH_T, Tamper.ARRIVED_AFTER_FETCH);
    // A GroupBy's record on the same topic: not the Join's.
    log.add(FeatureLog.record(user.name(), 1, "u0", MAR3 + HOUR, parts.get(0).values(parts.get(0).online(), List.of("u0"),
        MAR3 + HOUR), false).replace("{\"groupBy\"", "{\"kind\":\"groupby\",\"groupBy\""));
  }

  static Join readJoin(String yaml) {
    var r = JoinReader.read(yaml);
    assertThat(r.problems()).isEmpty();
    return r.join();
  }

  static Map<List<Object>, List<Row>> rowsByKey(CompiledGroupBy g, List<Map<String, Object>> raw) {
    Map<List<Object>, List<Row>> out = new HashMap<>();
    for (Map<String, Object> e : raw) {
      if (g.apply(0, e) instanceof SourceResult.Accepted a) {
        out.computeIfAbsent(g.keyNames().stream().map(e::get).toList(), k -> new ArrayList<>()).add(a.row());
      }
    }
    out.values().forEach(rows -> rows.sort(java.util.Comparator.comparingLong(Row::ts)));
    return out;
  }

  enum Tamper { NONE, PART_VALUE, DERIVED_VALUE, STALE_SHOP, OLD_JOIN_VERSION, UNKNOWN_PART_VERSION, SHOP_FAILED, ALL_FAILED, ARRIVED_AFTER_FETCH }

  /**
   * One served row, logged as the fetcher logs it, and what the job must make of it: every column
   * (request fields aside) compared unless its part failed, a mismatch wherever the served value
   * differs from the values of all the warehouse's events, with the cause the row's story gives it.
   */
  void served(int version, String buyer, String shop, long t, Tamper tamper) {
    CompiledJoin servedWith = version == 2 ? v2 : live;
    CompiledJoin recomputedWith = version == 2 ? v2 : live;
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("amount_now", Math.round(random.nextDouble() * 5000) / 100.0);
    request.put("channel", random.nextBoolean() ? "web" : "app");
    Map<String, Object> fields = new HashMap<>(request);
    fields.put("buyer", buyer);
    fields.put("shop", shop);
    Set<Integer> failed = switch (tamper) {
      case SHOP_FAILED -> Set.of(1);
      case ALL_FAILED -> Set.of(0, 1, 2);
      default -> Set.of();
    };
    List<Map<String, Object>> onlineParts = new ArrayList<>();
    List<Map<String, Object>> offlineParts = new ArrayList<>();
    for (CompiledPart p : servedWith.parts()) {
      Part part = parts.get(p.index());
      List<Object> key = p.keyOf(fields::get);
      // The fetch did not see the fresh event: it reached Kafka after it.
      Map<List<Object>, List<Row>> seen = tamper != Tamper.ARRIVED_AFTER_FETCH ? part.online()
          : Map.of(key, part.online().getOrDefault(key, List.of()).stream().filter(r -> r.ts() != FRESH_TS).toList());
      Map<String, Object> online = new LinkedHashMap<>(part.values(seen, key, t));
      if (tamper == Tamper.STALE_SHOP && p.index() == 1) online.merge("amount_count_1d", 1L, (a, b) -> (Long) a + (Long) b);
      if (tamper == Tamper.UNKNOWN_PART_VERSION && p.index() == 0) {
        online.put("amount_sum_1d", online.get("amount_sum_1d") == null ? 10.0 : (Double) online.get("amount_sum_1d") + 10.0);
      }
      onlineParts.add(failed.contains(p.index()) ? null : online);
      offlineParts.add(failed.contains(p.index()) ? null : part.values(part.all(), key, t));
    }
    Map<String, Object> values = new LinkedHashMap<>(servedWith.row(request::get, onlineParts).values());
    if (tamper == Tamper.PART_VALUE) {
      values.put("buyer_amount_sum_1h", values.get("buyer_amount_sum_1h") == null ? 5.0 : (Double) values.get("buyer_amount_sum_1h") + 5.0);
    }
    if (tamper == Tamper.DERIVED_VALUE) values.put("new_pair", !Boolean.TRUE.equals(values.get("new_pair")));
    if (tamper == Tamper.OLD_JOIN_VERSION) values.merge("buyer_amount_count_6h", 1L, (a, b) -> (Long) a + (Long) b);
    Map<String, Object> offline = recomputedWith.row(request::get, offlineParts).values();

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("joinVersion", version);
    meta.put("asOf", t);
    Map<String, Object> partsMeta = new LinkedHashMap<>();
    for (CompiledPart p : servedWith.parts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("groupBy", p.groupBy().name());
      m.put("version", tamper == Tamper.UNKNOWN_PART_VERSION && p.index() == 0 ? 7 : 1);
      boolean partFailed = failed.contains(p.index());
      m.put("batchEnd", partFailed ? null : Math.floorDiv(t, DAY) * DAY);
      m.put("latestTileEnd", partFailed ? null : t - t % 300_000L);
      m.put("stale", partFailed ? null : tamper == Tamper.STALE_SHOP && p.index() == 1);
      if (partFailed) m.put("error", "stored data of this key cannot be read: test");
      partsMeta.put(p.name(), m);
    }
    meta.put("parts", partsMeta);
    String status = failed.isEmpty() ? "Success" : failed.size() < servedWith.parts().size() ? "PartialFailure" : "Failure";
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("kind", "join");
    record.put("join", join);
    record.put("version", version);
    record.put("keys", Map.of("buyer", buyer, "shop", shop));
    record.put("asOf", t);
    record.put("status", status);
    record.put("features", values);
    record.put("meta", meta);
    record.put("loggedAt", t + 3);
    record.put("requestId", "req-" + t);
    log.add(JSON.writeValueAsString(record));
    if (status.equals("Failure")) return;

    // What the job must find.
    if (t < MAR3) rowsMar2++;
    rowsAll++;
    Map<String, Integer> partOf = new HashMap<>();
    live.featureColumns().forEach(c -> partOf.put(c.name(), c.part()));
    List<String> columns = new ArrayList<>();
    live.featureColumns().forEach(c -> columns.add(c.name()));
    live.derivedColumns().forEach(c -> columns.add(c.name()));
    for (String column : columns) {
      Integer part = partOf.get(column);
      if (part != null && failed.contains(part)) continue;
      if (column.equals("shop_busy") && failed.contains(1)) continue; // reads the failed shop part
      Function<String, String> story = c -> switch (tamper) {
        case NONE, SHOP_FAILED -> "LATE_EVENT";
        case PART_VALUE, DERIVED_VALUE -> "UNEXPLAINED";
        case STALE_SHOP -> "STALE_BATCH";
        case OLD_JOIN_VERSION, UNKNOWN_PART_VERSION -> "VERSION_MISMATCH";
        case ARRIVED_AFTER_FETCH -> "ARRIVED_AFTER_FETCH";
        case ALL_FAILED -> throw new IllegalStateException();
      };
      boolean same = ValueComparison.same(offline.get(column), values.get(column), 1e-9, false);
      for (Map<String, long[]> expected : t < MAR3 ? List.of(expectedMar2, expectedAll) : List.of(expectedAll)) {
        long[] e = expected.computeIfAbsent(column, c -> new long[1 + CAUSES.size()]);
        e[0]++;
        if (!same) e[1 + CAUSES.indexOf(story.apply(column))]++;
      }
    }
  }

  void ingestLog(String logTable) {
    String topic = unique("jc_flog");
    createTopic(topic, 2);
    produce(topic, log, MAR3 + 5000);
    JsonNode ingested = runToCompletion("/api/v1/jobs/ingest", "{\"topic\": \"%s\", \"table\": \"%s\", \"format\": \"feature-log\"}"
        .formatted(topic, logTable));
    assertThat(ingested.at("/result/joinTable").asString()).isEqualTo(logTable + "_joins");
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + logTable + "_joins WHERE join_name = '" + join + "'"))
        .isEqualTo(log.size() - 1);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + logTable)).as("the GroupBy record").isEqualTo(1);
  }

  /** The late event, dead-lettered by the stream job of each GroupBy (it was late for all three). */
  void ingestDeadLetters(String deadTable) {
    String topic = unique("jc_dead");
    createTopic(topic, 1);
    List<String> records = new ArrayList<>();
    for (Part p : parts) {
      Map<String, Object> dead = new LinkedHashMap<>();
      dead.put("kind", "late");
      dead.put("reason", "late: event time is in a closed tile");
      dead.put("groupBy", p.g().name());
      dead.put("version", 1);
      dead.put("partition", 0);
      dead.put("offset", 42);
      dead.put("event", JSON.writeValueAsString(ConsistencyIT.event("u3", "m1", 77.5, LATE_TS)));
      dead.put("eventTime", LATE_TS);
      dead.put("streamTime", LATE_TS + 2 * HOUR);
      records.add(JSON.writeValueAsString(dead));
    }
    produce(topic, records, null);
    runToCompletion("/api/v1/jobs/ingest", "{\"topic\": \"%s\", \"table\": \"%s\", \"format\": \"dead-letter\"}".formatted(topic, deadTable));
  }
}
