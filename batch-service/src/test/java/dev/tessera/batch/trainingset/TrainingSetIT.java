package dev.tessera.batch.trainingset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Source;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.ReferenceVectors;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.Tables;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Point-in-time training sets through the REST API: reference vectors, the oracle, no leakage from the future. */
class TrainingSetIT extends BatchServiceIT {
  static final List<String> COLUMNS = List.of("user_id", "merchant", "amount", "qty", "currency", "ts");

  /** A copy of a vector GroupBy reading {@code table}, under a name of its own. */
  static GroupBy renamed(GroupBy g, String name, String table) {
    List<Source> sources = g.sources().stream().map(s -> (Source) new EventSource(table, ((EventSource) s).topic(), s.schema(),
        s.query())).toList();
    return new GroupBy(name, g.team(), g.description(), g.online(), g.keys(), sources, g.aggregations(), g.streaming());
  }

  @Test
  void referenceVectorsAreReproducedThroughTheTrainingSetPath() {
    for (ReferenceVectors v : ReferenceVectors.all()) {
      String table = unique("vec_events");
      String left = unique("vec_queries");
      String out = unique("vec_training");
      String name = unique("vec");
      GroupBy g = renamed(v.groupBy().definition(), name, table);
      Tables.createPurchases(warehouse, table);
      Tables.insert(warehouse, table, COLUMNS, v.events());
      Tables.execute(warehouse, "CREATE TABLE " + left + " (query_id BIGINT, user_id VARCHAR, t BIGINT)");
      List<Map<String, Object>> queries = new ArrayList<>();
      for (int i = 0; i < v.queries().size(); i++) {
        ReferenceVectors.Query q = v.queries().get(i);
        queries.add(Map.of("query_id", (long) i, "user_id", q.keys().get("user_id"), "t", q.t()));
      }
      Tables.insert(warehouse, left, List.of("query_id", "user_id", "t"), queries);
      publish(g, 1);

      JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
          {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s"}""".formatted(name, left, out));
      assertThat(view.get("result").get("rows").asLong()).isEqualTo(v.queries().size());

      Oracle oracle = new Oracle(compile(g));
      List<Map<String, Object>> rows = Tables.query(warehouse, "SELECT * FROM " + out + " ORDER BY query_id");
      assertThat(rows).hasSize(v.queries().size());
      List<String> problems = new ArrayList<>();
      for (Map<String, Object> row : rows) {
        int id = ((Number) row.get("query_id")).intValue();
        ReferenceVectors.Query q = v.queries().get(id);
        assertThat(row.get("user_id")).isEqualTo(q.keys().get("user_id"));
        assertThat(((Number) row.get("t")).longValue()).isEqualTo(q.t());
        Map<String, Object> actual = new LinkedHashMap<>();
        q.features().keySet().forEach(f -> actual.put(f, Tables.featureValue(row.get(f))));
        oracle.mismatches(q.features(), actual).forEach(m -> problems.add(v.file() + " query " + id + " (t=" + q.t() + "): " + m));
      }
      assertThat(problems).isEmpty();
      assertThat(Tables.count(warehouse, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'tessera_tmp_"
          + view.get("id").asLong() + "_%'")).as("work tables are dropped").isZero();
    }
  }

  @Test
  void anEventAtExactlyTheRowTimeIsExcludedAndLeftColumnsAreKept() {
    String table = unique("pit_events");
    String left = unique("pit_labels");
    String out = unique("pit_training");
    String name = unique("pit");
    Tables.createPurchases(warehouse, table);
    long t0 = LocalDate.of(2024, 3, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    Tables.insert(warehouse, table, COLUMNS, List.of(
        event("u1", 10.0, t0), event("u1", 20.0, t0 + 60_000), event("u1", 40.0, t0 + 120_000), event("u2", 5.0, t0)));
    GroupBy g = parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h]}
          - {inputColumn: amount, operation: COUNT, windows: [1h]}
          - {inputColumn: amount, operation: AVG}
        """.formatted(name, table));
    publish(g, 1);
    // Labels at a TIMESTAMP: at the second event exactly, one millisecond later, and rows without key or time.
    Tables.execute(warehouse, "CREATE TABLE " + left + " (user_id VARCHAR, label BOOLEAN, labelled_at TIMESTAMP, note VARCHAR)");
    Tables.execute(warehouse, "INSERT INTO " + left + " VALUES "
        + "('u1', true, epoch_ms(" + (t0 + 60_000) + "), 'at the second event'), "
        + "('u1', false, epoch_ms(" + (t0 + 60_001) + "), 'just after'), "
        + "('u1', false, epoch_ms(" + t0 + "), 'at the first event'), "
        + "('u2', true, epoch_ms(" + (t0 + 3_600_000 + 300_000) + "), 'window passed'), "
        + "('u3', false, epoch_ms(" + t0 + "), 'no events'), "
        + "(NULL, true, epoch_ms(" + t0 + "), 'no key'), "
        + "('u1', true, NULL, 'no time')");

    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "labelled_at", "outputTable": "%s"}""".formatted(name, left, out));
    assertThat(view.get("result").get("leftRowsWithoutKeyOrTime").asLong()).isEqualTo(2);

    Map<String, Map<String, Object>> byNote = new HashMap<>();
    for (Map<String, Object> row : Tables.query(warehouse, "SELECT * FROM " + out)) byNote.put((String) row.get("note"), row);
    assertThat(byNote).hasSize(7);
    assertThat(byNote.get("at the second event")).containsEntry("amount_sum_1h", 10.0).containsEntry("amount_count_1h", 1L)
        .containsEntry("label", true);
    assertThat(byNote.get("just after")).containsEntry("amount_sum_1h", 30.0).containsEntry("amount_count_1h", 2L)
        .containsEntry("amount_avg", 15.0);
    assertThat(byNote.get("at the first event")).containsEntry("amount_count_1h", 0L).containsEntry("amount_sum_1h", null)
        .containsEntry("amount_avg", null);
    // 1h window at t0+65m: hop 5 minutes, start floor(t0+5m) = t0+5m > t0: the event has slid out; lifetime keeps it.
    assertThat(byNote.get("window passed")).containsEntry("amount_count_1h", 0L).containsEntry("amount_avg", 5.0);
    assertThat(byNote.get("no events")).containsEntry("amount_count_1h", 0L).containsEntry("amount_avg", null);
    assertThat(byNote.get("no key")).containsEntry("amount_count_1h", null).containsEntry("label", true);
    assertThat(byNote.get("no time")).containsEntry("amount_count_1h", null);
  }

  @Test
  void everyEventAsALeftRowMatchesTheOracle() {
    String table = unique("gen_events");
    String out = unique("gen_training");
    String name = unique("gen_pit");
    long from = LocalDate.of(2024, 2, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    Tables.createPurchases(warehouse, table);
    List<Map<String, Object>> events = new EventGenerator(21).purchases(25, 1500, from, from + 10 * 86_400_000L);
    Tables.insert(warehouse, table, COLUMNS, events);
    // Rows without a key or a time: kept in the output, without features.
    Tables.execute(warehouse, "INSERT INTO " + table + " VALUES (NULL, 'm', 1.0, 1, 'USD', " + (from + 5) + "),"
        + " ('u1', 'm', 2.0, 1, 'USD', NULL), ('u_none', 'm', 3.0, 1, 'USD', NULL)");
    GroupBy g = parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query:
                selects: {user_id: user_id, merchant: merchant, amount: amount, big: "amount > 100.0 ? 1 : 0"}
                wheres: ['currency == "USD"']
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: AVG, windows: [1h, 24h, 7d]}
          - {inputColumn: big, operation: SUM, windows: [1d]}
          - {inputColumn: merchant, operation: LAST_K, args: {k: "2"}}
        """.formatted(name, table));
    publish(g, 2);
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s", "partitions": 3,
         "parquetPath": "%s.parquet"}""".formatted(name, table, out, out));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM read_parquet('" + view.get("result").get("parquetPath").asString() + "')"))
        .isEqualTo(events.size() + 3);
    assertThat(view.get("result").get("leftRowsWithoutKeyOrTime").asLong()).isEqualTo(3);
    assertThat(view.get("result").get("rowsWithFeatures").asLong()).isEqualTo(events.size());
    assertThat(view.get("parameters").get("outputMode").asString()).as("its own events, written directly").isEqualTo("direct");
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + out + " WHERE (user_id IS NULL OR ts IS NULL) AND amount_count_1h IS NULL"))
        .isEqualTo(3);

    CompiledGroupBy c = compile(g);
    Oracle oracle = new Oracle(c);
    Map<List<Object>, List<Row>> byKey = Entities.rowsByKey(c, events);
    List<Map<String, Object>> rows = Tables.query(warehouse, "SELECT * FROM " + out + " WHERE user_id IS NOT NULL AND ts IS NOT NULL");
    assertThat(rows).hasSize(events.size());
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> actual = new LinkedHashMap<>();
      for (String f : oracle.featureNames()) actual.put(f, Tables.featureValue(row.get(f)));
      long t = ((Number) row.get("ts")).longValue();
      List<Row> entity = byKey.getOrDefault(List.of(row.get("user_id")), List.of());
      for (String m : oracle.mismatches(oracle.valuesAt(entity, t), actual)) problems.add(row.get("user_id") + "@" + t + " " + m);
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void badRequestsNameTheField() {
    String table = unique("bad_events");
    String name = unique("bad_pit");
    Tables.createPurchases(warehouse, table);
    publish(parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h]}
        """.formatted(name, table)), 1);
    String labels = unique("bad_labels");
    Tables.execute(warehouse, "CREATE TABLE " + labels + " (user_id BIGINT, labelled_at VARCHAR, amount_sum_1h DOUBLE)");
    JsonNode p = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "labelled_at", "outputTable": "%s"}""".formatted(name, labels, table), 400);
    assertThat(p.get("type").asString()).isEqualTo("https://tessera.dev/problems/invalid-request");
    List<String> fields = new ArrayList<>();
    p.get("errors").forEach(e -> fields.add(e.get("field").asString() + ": " + e.get("message").asString()));
    assertThat(fields).anyMatch(f -> f.startsWith("leftTable: column 'user_id'") && f.contains("is BIGINT but key 'user_id'"))
        .anyMatch(f -> f.startsWith("timeColumn: column 'labelled_at' is VARCHAR"))
        .anyMatch(f -> f.startsWith("leftTable: column 'amount_sum_1h'"))
        .anyMatch(f -> f.equals("outputTable: must not be a source table of " + name));
    post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "nope_%s", "timeColumn": "t", "outputTable": "x"}""".formatted(name, labels), 400);
    post("/api/v1/jobs/training-set", """
        {"groupBy": "no_such_groupby", "leftTable": "%s", "timeColumn": "t", "outputTable": "x"}""".formatted(labels), 404);
  }

  static Map<String, Object> event(String user, double amount, long ts) {
    Map<String, Object> e = new HashMap<>();
    e.put("user_id", user);
    e.put("merchant", "m");
    e.put("amount", amount);
    e.put("qty", 1L);
    e.put("currency", "USD");
    e.put("ts", ts);
    return e;
  }
}
