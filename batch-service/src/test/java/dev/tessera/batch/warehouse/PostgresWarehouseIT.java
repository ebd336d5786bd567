package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.LakeFiles;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.testing.TestFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The same jobs with PostgreSQL as the warehouse and as the job repository (a schema of its own in
 * the machine's database `test`): JSONB lists and maps, hashtext partitions, COLLATE "C" key order
 * across a restart, and the job repository schema created on a persistent database.
 */
@EnabledIf(value = "dev.tessera.batch.testing.Postgres#reachable",
    disabledReason = "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): PostgreSQL warehouse tests skipped")
class PostgresWarehouseIT extends BackfillSupport {
  static final String SCHEMA = Postgres.newSchema("tsr_batch_it_");

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.useSchema(SCHEMA, registry);
  }

  @AfterAll
  static void dropSchema() {
    Postgres.dropSchema(SCHEMA);
  }

  @Test
  void backfillAndRestartOnPostgresMatchTheOracle() {
    assertThat(warehouse.dialect().name()).isEqualTo("postgresql");
    String table = unique("pg_events");
    String name = unique("pg_daily");
    List<Map<String, Object>> events = generate(table, 51, 50, 2000, JAN_1, JAN_1 + 10 * DAY);
    // Code point order matters on PostgreSQL: keys beyond ASCII, sorted differently by a linguistic collation.
    List<Map<String, Object>> odd = new ArrayList<>();
    for (String user : List.of("Émile", "emile", "Zoë", "zoe", "\uD83D\uDE00user", "\uFFFDuser", "a b", "A-b")) {
      for (int i = 0; i < 6; i++) {
        Map<String, Object> e = new LinkedHashMap<>(events.get(i));
        e.put("user_id", user);
        e.put("ts", JAN_1 + 2 * DAY + i * 3_600_000L);
        odd.add(e);
      }
    }
    Tables.insert(warehouse, table, List.of("user_id", "merchant", "amount", "qty", "currency", "ts"), odd);
    events.addAll(odd);
    GroupBy g = parse(windowedGroupBy(name, table));
    publish(g, 1);

    failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(1, 2));
    long id = start("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-02\", \"endDate\": \"2024-01-09\"}");
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("FAILED");
    post("/api/v1/jobs/" + id + "/restart", "", 202);
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");
    int rows = assertMatchesOracle(compile(g), events, name + "_v1_daily", LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 9));
    assertThat(rows).isPositive();
    assertThat(Tables.query(warehouse, "SELECT data_type FROM information_schema.columns WHERE table_name = '" + name
        + "_v1_daily' AND column_name = 'amount_sum_7d_by_merchant'").getFirst()).containsEntry("data_type", "jsonb");
  }

  @Test
  void trainingSetOnPostgresMatchesTheOracle() {
    String table = unique("pg_ts_events");
    String out = unique("pg_training");
    String name = unique("pg_pit");
    List<Map<String, Object>> events = generate(table, 52, 20, 800, JAN_1, JAN_1 + 5 * DAY);
    GroupBy g = parse(windowedGroupBy(name, table));
    publish(g, 1);
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s"}""".formatted(name, table, out));
    assertThat(view.get("result").get("rows").asLong()).isEqualTo(events.size());
    assertMatchesOracleAtLeftTimes(g, events, out);
  }

  /**
   * A Parquet source with the PostgreSQL warehouse: read by an in-process DuckDB, outputs in PostgreSQL. A backfill
   * (per-partition scan and lake shuffle) and a training set (left rows in a PostgreSQL table, lake shuffle) match the
   * oracle; a Parquet left is refused, since the left rows are joined in the warehouse's own SQL.
   */
  @Test
  void parquetSourcesOnPostgresMatchTheOracle() throws IOException {
    String table = unique("pg_lake_events");
    List<Map<String, Object>> events = generate(table, 53, 30, 2000, JAN_1, JAN_1 + 10 * DAY);
    String dataset = unique("pg_lake");
    Path scratch = Files.createTempDirectory(Path.of("target"), "pg-lake");
    LakeFiles.writePurchases(events, warehouse.lake().root().resolve(dataset), scratch, 4);
    String name = unique("pg_lake_daily");
    GroupBy g = parse(windowedGroupBy(name, table).replace("table: " + table + "\n", "parquet: " + dataset + "/ds=*/*.parquet\n"));
    publish(g, 1);
    for (boolean shuffle : List.of(false, true)) {
      JsonNode backfill = runToCompletion("/api/v1/jobs/backfill", """
          {"groupBy": "%s", "startDate": "2024-01-03", "endDate": "2024-01-09", "partitions": 3, "lakeShuffle": %s}"""
          .formatted(name, shuffle));
      assertThat(backfill.get("status").asString()).isEqualTo("COMPLETED");
      assertMatchesOracle(compile(g), events, name + "_v1_daily", LocalDate.of(2024, 1, 3), LocalDate.of(2024, 1, 9));
    }

    String out = unique("pg_lake_training");
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s", "partitions": 3, "lakeShuffle": true}"""
        .formatted(name, table, out));
    assertThat(view.get("result").get("rows").asLong()).isEqualTo(events.size());
    assertMatchesOracleAtLeftTimes(g, events, out);

    JsonNode refused = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftParquet": "%s", "timeColumn": "ts", "outputTable": "%s"}""".formatted(name, dataset, unique("pg_no")), 400);
    assertThat(refused.toString()).contains("leftParquet").contains("a Parquet left needs the DuckDB warehouse");
  }

  /** Each output row (a left row: key and time) holds the oracle's values at its time. */
  private void assertMatchesOracleAtLeftTimes(GroupBy g, List<Map<String, Object>> events, String out) {
    CompiledGroupBy c = compile(g);
    Oracle oracle = new Oracle(c);
    Map<List<Object>, List<Row>> byKey = Entities.rowsByKey(c, events);
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> row : Tables.query(warehouse, "SELECT * FROM " + out)) {
      Map<String, Object> actual = new LinkedHashMap<>();
      for (String f : oracle.featureNames()) actual.put(f, Tables.featureValue(row.get(f)));
      long t = ((Number) row.get("ts")).longValue();
      oracle.mismatches(oracle.valuesAt(byKey.getOrDefault(List.of(row.get("user_id")), List.of()), t), actual)
          .forEach(m -> problems.add(row.get("user_id") + "@" + t + " " + m));
    }
    assertThat(problems).isEmpty();
  }
}
