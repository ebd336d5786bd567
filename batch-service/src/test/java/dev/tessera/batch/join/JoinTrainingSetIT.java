package dev.tessera.batch.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.RecordedRegistry;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.testing.TestFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The training set of a Join through the REST API (DESIGN-joins.md "Offline"): the reference
 * vectors of {@code join_fraud_model.json} row by row and column by column, one output row per left
 * row (null keys and times kept), the request's validation, and a crash and restart.
 */
class JoinTrainingSetIT extends BatchServiceIT {
  static final String VECTORS = "/vectors/join_fraud_model.json";
  static final List<String> EVENT_COLUMNS = List.of("user_id", "merchant", "amount", "qty", "currency", "ts");

  static JsonNode vectors;
  static Join join;
  /** The left rows of the vectors (their columns), and per row id what the vectors expect. */
  static List<Map<String, Object>> leftRows;
  static Map<Long, Map<String, Object>> expected;

  /**
   * The vectors' events in {@code purchases} and left rows in {@code checkouts}, their GroupBys on the
   * registry topic and their Join at the registry, once.
   */
  @BeforeEach
  void loadVectors() {
    if (vectors != null) return;
    JsonNode root;
    try (InputStream in = JoinTrainingSetIT.class.getResourceAsStream(VECTORS)) {
      assertThat(in).as("test resource " + VECTORS + " (common-agg's test-jar)").isNotNull();
      root = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JoinParseResult parsed = JoinReader.read(root.get("join"));
    assertThat(parsed.problems()).isEmpty();
    Join j = parsed.join();

    Tables.execute(warehouse, "DROP TABLE IF EXISTS purchases");
    Tables.createPurchases(warehouse, "purchases");
    List<Map<String, Object>> events = new ArrayList<>();
    root.get("events").get("purchases").values().forEach(e -> events.add(Json.toMap(e)));
    Tables.insert(warehouse, "purchases", EVENT_COLUMNS, events);

    List<Map<String, Object>> rows = new ArrayList<>();
    Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
    for (JsonNode r : root.get("left").values()) {
      Map<String, Object> columns = new LinkedHashMap<>();
      for (String c : j.left().schema().keySet()) columns.put(c, Json.toJava(r.get(c)));
      rows.add(columns);
      byId.put(r.get("row_id").asLong(), Json.toMap(r.get("expected")));
    }
    createLeft("checkouts", j);
    Tables.insert(warehouse, "checkouts", List.copyOf(j.left().schema().keySet()), rows);

    for (JsonNode g : root.get("groupBys").values()) publish(GroupByReader.read(g).groupBy(), 1);
    RecordedRegistry.INSTANCE.record(new PublishedJoin(j.name(), 1, j, Instant.parse("2026-01-01T00:00:00Z"), "test"));
    join = j;
    leftRows = rows;
    expected = byId;
    vectors = root;
  }

  /** A table with the Join's left schema. */
  void createLeft(String table, Join j) {
    List<String> columns = new ArrayList<>();
    j.left().schema().forEach((name, type) -> columns.add(name + " " + switch (type.spec()) {
      case "STRING" -> "VARCHAR";
      case "LONG" -> "BIGINT";
      case "INT" -> "INTEGER";
      case "DOUBLE", "FLOAT" -> "DOUBLE";
      case "BOOLEAN" -> "BOOLEAN";
      default -> throw new IllegalArgumentException(type.spec());
    }));
    Tables.execute(warehouse, "DROP TABLE IF EXISTS " + table);
    Tables.execute(warehouse, "CREATE TABLE " + table + " (" + String.join(", ", columns) + ")");
  }

  /** The vectors' Join under another name, reading {@code leftTable}, at the registry. */
  String joinOver(String leftTable) {
    return joinOver(leftTable, true);
  }

  String joinOver(String leftTable, boolean derivations) {
    String name = unique("vec_join");
    ObjectNode doc = (ObjectNode) vectors.get("join").deepCopy();
    doc.put("name", name);
    ((ObjectNode) doc.get("left")).put("table", leftTable);
    if (!derivations) doc.remove("derivations");
    Join j = JoinReader.read(doc).join();
    RecordedRegistry.INSTANCE.record(new PublishedJoin(name, 1, j, Instant.parse("2026-01-01T00:00:00Z"), "test"));
    return name;
  }

  /** Every expected column of every row against the output (by row id), under the vectors' rule. */
  static List<String> mismatches(List<Map<String, Object>> output, Map<Long, Map<String, Object>> expectations) {
    List<String> problems = new ArrayList<>();
    Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
    output.forEach(r -> byId.put(((Number) r.get("row_id")).longValue(), r));
    expectations.forEach((id, columns) -> {
      Map<String, Object> row = byId.get(id);
      if (row == null) {
        problems.add("row " + id + ": missing from the output");
        return;
      }
      columns.forEach((column, value) -> {
        if (!row.containsKey(column)) {
          problems.add("row " + id + ": no column " + column);
          return;
        }
        String d = FeatureComparison.difference(value, Tables.featureValue(row.get(column)), ValueComparison.RELATIVE);
        if (d != null) problems.add("row " + id + " " + column + ": " + d);
      });
    });
    return problems;
  }

  @Test
  void everyExpectedColumnOfEveryRowOfTheReferenceVectorsIsReproduced() {
    String out = unique("vec_training");
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s"}""".formatted(join.name(), out));

    List<Map<String, Object>> rows = Tables.query(warehouse, "SELECT * FROM " + out + " ORDER BY row_id");
    assertThat(rows).hasSize(leftRows.size());
    assertThat(mismatches(rows, expected)).isEmpty();
    // The left row's own columns as they were, then the parts' features in part order, then the derivations.
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> left = leftRows.get(i);
      left.forEach((c, v) -> assertThat(Tables.featureValue(rows.get(leftRows.indexOf(left)).get(c))).as(c).isEqualTo(v));
    }
    List<String> columns = new ArrayList<>(join.left().schema().keySet());
    expected.values().iterator().next().keySet().stream().filter(c -> !columns.contains(c)).forEach(columns::add);
    assertThat(rows.getFirst().keySet()).containsExactlyElementsOf(columns);

    JsonNode result = view.get("result");
    assertThat(result.get("rows").asLong()).isEqualTo(leftRows.size());
    assertThat(result.get("joinVersion").asInt()).isEqualTo(1);
    assertThat(result.get("leftRowsWithoutTime").asLong()).isZero();
    assertThat(result.get("parts").size()).isEqualTo(3);
    assertThat(result.get("parts").get(0).get("groupBy").asString()).isEqualTo("vec_user");
    assertThat(result.get("parts").get(0).get("version").asInt()).isEqualTo(1);
    assertThat(result.get("parts").get(0).get("rowsWithoutKeyOrTime").asLong())
        .isEqualTo(leftRows.stream().filter(r -> r.get("buyer") == null).count());
    assertThat(result.get("derivationErrors").asLong()).isZero();
    // The Join and GroupBy versions are in the table's comment, as for a GroupBy's training set.
    assertThat(Tables.query(warehouse, "SELECT comment FROM duckdb_tables() WHERE table_name = '" + out + "'").getFirst().get("comment"))
        .asString().contains("Join " + join.name() + " version 1").contains("GroupBy vec_user version 1")
        .contains("GroupBy vec_pair version 1");
    JsonNode progress = view.get("progress");
    assertThat(progress.get("partitionsTotal").asInt()).as("3 parts x 2 slices, then 2 derive ranges").isEqualTo(8);
    assertThat(progress.get("partitionsDone").asInt()).isEqualTo(8);
    assertThat(progress.get("rowsRead").asLong()).as("each part reads the events of its keys").isPositive();
    assertThat(view.get("partitions").get(0).get("step").asString()).isEqualTo("join-training-set.compute");
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'tessera_tmp_"
        + view.get("id").asLong() + "_%'")).as("work tables are dropped").isZero();
  }

  @Test
  void rowsWithANullKeyOrTimeAreKeptAndADateRangeKeepsItsRows() {
    String left = unique("checkouts_nulls");
    createLeft(left, join);
    Tables.execute(warehouse, "INSERT INTO " + left + " SELECT * FROM checkouts");
    // A copy of a row with a buyer, without its shop: the buyer's part as the row, the shop's parts unknown (all null).
    Map<String, Object> source = leftRows.stream().filter(r -> "u_heavy".equals(r.get("buyer"))).skip(20).findFirst().orElseThrow();
    long sourceId = ((Number) source.get("row_id")).longValue();
    Tables.execute(warehouse, "INSERT INTO " + left + " SELECT 100001, buyer, NULL, amount_now, channel, ts, label FROM checkouts"
        + " WHERE row_id = " + sourceId);
    Tables.execute(warehouse, "INSERT INTO " + left + " SELECT 100002, buyer, shop, amount_now, channel, NULL, label FROM checkouts"
        + " WHERE row_id = " + sourceId);
    String name = joinOver(left);
    String out = unique("nulls_training");
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s", "partitions": 3, "parquetPath": "%s.parquet"}""".formatted(name, out, out));

    JsonNode result = view.get("result");
    assertThat(result.get("rows").asLong()).isEqualTo(leftRows.size() + 2);
    assertThat(result.get("leftRowsWithoutTime").asLong()).as("counted, and kept with null features").isEqualTo(1);
    assertThat(result.get("parts").get(1).get("rowsWithoutKeyOrTime").asLong()).isEqualTo(2);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + out)).isEqualTo(leftRows.size() + 2);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM read_parquet('" + result.get("parquetPath").asString() + "')"))
        .isEqualTo(leftRows.size() + 2);

    Map<Long, Map<String, Object>> expectations = new LinkedHashMap<>(expected);
    Map<String, Object> noShop = new LinkedHashMap<>(expected.get(sourceId));
    Map<String, Object> noTime = new LinkedHashMap<>(expected.get(sourceId));
    noShop.replaceAll((c, v) -> c.startsWith("vec_merchant_") || c.startsWith("pair_") || c.equals("new_pair") ? null : v);
    noTime.replaceAll((c, v) -> join.request().contains(c) ? v : null);
    expectations.put(100001L, noShop);
    expectations.put(100002L, noTime);
    assertThat(noShop.get("buyer_amount_count_1d")).as("the source row has buyer features").isNotNull();
    assertThat(mismatches(Tables.query(warehouse, "SELECT * FROM " + out), expectations)).isEmpty();

    // Only the rows of two days; the same values (features do not depend on which rows are asked for).
    String days = unique("days_training");
    JsonNode ranged = runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s", "startDate": "2024-01-10", "endDate": "2024-01-11"}""".formatted(name, days));
    long from = java.time.LocalDate.parse("2024-01-10").atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
    long inRange = Tables.count(warehouse, "SELECT count(*) FROM " + left + " WHERE ts >= " + from + " AND ts < " + (from + 2 * 86_400_000L));
    assertThat(inRange).isPositive();
    assertThat(ranged.get("result").get("rows").asLong()).isEqualTo(inRange);
    List<Map<String, Object>> rows = Tables.query(warehouse, "SELECT * FROM " + days);
    assertThat(rows).hasSize((int) inRange);
    Map<Long, Map<String, Object>> subset = new LinkedHashMap<>();
    rows.forEach(r -> subset.put(((Number) r.get("row_id")).longValue(), expectations.get(((Number) r.get("row_id")).longValue())));
    assertThat(mismatches(rows, subset)).isEmpty();
  }

  @Test
  void aJoinWithoutDerivationsHasNoDerivePartitions() {
    String name = joinOver("checkouts", false);
    String out = unique("plain_training");
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s", "partitions": 1}""".formatted(name, out));
    assertThat(view.get("progress").get("partitionsTotal").asInt()).as("3 parts x 1 slice, no derive partition").isEqualTo(3);
    assertThat(view.get("result").has("derivationErrors")).isFalse();
    List<Map<String, Object>> rows = Tables.query(warehouse, "SELECT * FROM " + out);
    assertThat(rows).hasSize(leftRows.size());
    Map<Long, Map<String, Object>> features = new LinkedHashMap<>();
    expected.forEach((id, columns) -> {
      Map<String, Object> base = new LinkedHashMap<>(columns);
      join.derivations().forEach(d -> base.remove(d.name()));
      features.put(id, base);
    });
    assertThat(mismatches(rows, features)).isEmpty();
    assertThat(rows.getFirst().keySet()).doesNotContain("amount_vs_avg");
  }

  @Test
  void badRequestsAreAnsweredWith400NamingTheField() {
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "no_such_join", "outputTable": "x"}""", 400))).anyMatch(f -> f.startsWith("join: no Join 'no_such_join'"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "%s", "groupBy": "vec_user", "outputTable": "x"}""".formatted(join.name()), 400))).anyMatch(f -> f.startsWith("join:"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"outputTable": "x"}""", 400))).anyMatch(f -> f.startsWith("groupBy:"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "purchases"}""".formatted(join.name()), 400)))
        .anyMatch(f -> f.startsWith("outputTable: must not be purchases, a source table of part buyer (GroupBy vec_user"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "checkouts"}""".formatted(join.name()), 400)))
        .anyMatch(f -> f.startsWith("outputTable: must differ from the Join's left table"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "x", "leftTable": "checkouts", "startDate": "2024-13-01"}""".formatted(join.name()), 400)))
        .anyMatch(f -> f.startsWith("leftTable:"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "x", "startDate": "2024-13-01", "endDate": "2024-01-01", "partitions": 0}""".formatted(join.name()),
        400))).anyMatch(f -> f.startsWith("startDate:")).anyMatch(f -> f.startsWith("partitions:"));
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "x", "startDate": "2024-02-01", "endDate": "2024-01-01"}""".formatted(join.name()), 400)))
        .containsExactly("endDate: must not be before startDate");
    // The GroupBy form is as it was, and does not take the Join form's fields.
    assertThat(fields(post("/api/v1/jobs/training-set", """
        {"groupBy": "vec_user", "leftTable": "checkouts", "timeColumn": "ts", "outputTable": "x", "startDate": "2024-01-01"}""", 400)))
        .containsExactly("startDate: is only used with join");
  }

  static List<String> fields(JsonNode problem) {
    assertThat(problem.get("type").asString()).isEqualTo("https://tessera.dev/problems/invalid-request");
    List<String> out = new ArrayList<>();
    problem.get("errors").forEach(e -> out.add(e.get("field").asString() + ": " + e.get("message").asString()));
    return out;
  }

  @Test
  void aJobThatCrashesInAPartitionAndIsRestartedWritesTheSameTable() {
    String clean = unique("clean_join");
    runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s"}""".formatted(join.name(), clean));
    for (Predicate<StepExecution> when : List.of(
        in(JoinTrainingSetJobConfiguration.COMPUTE, 2, TestFailures.partitionAfterChunks(1, 2)),
        in(JoinTrainingSetJobConfiguration.DERIVE, 3, TestFailures.partitionAfterChunks(0, 3)))) {
      String crashed = unique("crashed_join");
      failures.arm(FailurePoints.CHUNK_COMMITTED, when);
      long id = start("/api/v1/jobs/training-set", """
          {"join": "%s", "outputTable": "%s"}""".formatted(join.name(), crashed));
      JsonNode failed = awaitJob(id);
      assertThat(failed.get("status").asString()).isEqualTo("FAILED");
      assertThat(failed.get("errors").toString()).contains("simulated crash");
      post("/api/v1/jobs/" + id + "/restart", "", 202);
      assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");
      String diff = "SELECT count(*) FROM ((SELECT * FROM " + clean + " EXCEPT ALL SELECT * FROM " + crashed + ") UNION ALL (SELECT * FROM "
          + crashed + " EXCEPT ALL SELECT * FROM " + clean + ")) d";
      assertThat(Tables.count(warehouse, diff)).as("the restarted job wrote what a clean run writes").isZero();
      assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + crashed)).isEqualTo(leftRows.size());
    }
  }

  /** A crash condition limited to one partitioned step, once it has {@code chunks} chunks in that step. */
  static Predicate<StepExecution> in(String step, int chunks, Predicate<StepExecution> when) {
    return s -> s.getStepName().startsWith(step + ".partition") && when.test(s) && s.getCommitCount() + 1 >= chunks;
  }
}
