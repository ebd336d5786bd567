package dev.tessera.batch.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.batch.testing.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Lake input (README "How it scales out"): a GroupBy whose source is a Parquet dataset of one folder
 * per day, several files each, read by the batch jobs through DuckDB's Parquet reader, each job
 * only the files of the days it needs, and checked against the same oracle as the table sources.
 */
class LakeIT extends LakeSupport {

  @Test
  void backfillOverADatasetOfManyFilesEqualsTheOracleAndItsParquetOutputReadsBack() throws IOException {
    OnDataset lake = publishedOnDataset("lake", 21, 40, 6000);
    String name = lake.name();
    GroupBy g = lake.groupBy();
    List<Map<String, Object>> events = lake.events();
    try (Stream<Path> files = Files.walk(warehouse.lake().root().resolve(name))) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet")).count()).isGreaterThanOrEqualTo(DAYS * FILES_PER_DAY);
    }

    String export = name + "/snapshots.parquet";
    JsonNode view = runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name
        + "\", \"startDate\": \"2024-01-10\", \"endDate\": \"2024-01-20\", \"parquetPath\": \"" + export
        + "\", \"parquetDataset\": \"" + name + "/daily\"}");
    int rows = assertMatchesOracle(compile(g), events, name + "_v1_daily", LocalDate.of(2024, 1, 10), LocalDate.of(2024, 1, 20));
    assertThat(rows).isGreaterThan(300);
    assertThat(view.get("progress").get("rowsWritten").asLong()).isEqualTo(rows);

    Path exported = Path.of(view.get("result").get("parquetPath").asString()).toAbsolutePath();
    List<Map<String, Object>> back = Tables.query(warehouse, "SELECT count(*) AS n, count(DISTINCT ds) AS days FROM read_parquet('" + exported + "')");
    assertThat(((Number) back.getFirst().get("n")).longValue()).isEqualTo(rows);
    assertThat(((Number) back.getFirst().get("days")).longValue()).isEqualTo(11);

    // The dataset output: one file per day, the table's rows of the range; a later backfill of an overlapping range
    // replaces its days' files and keeps the others, and a file of another output in a day folder is never touched.
    Path daily = Path.of(view.get("result").get("parquetDataset").asString());
    String file = name + "_v1_daily_0.parquet";
    assertThat(view.get("result").get("parquetFiles").asInt()).isEqualTo(11);
    assertThat(daily.resolve("ds=2024-01-10").resolve(file)).isRegularFile();
    Files.copy(daily.resolve("ds=2024-01-15").resolve(file), daily.resolve("ds=2024-01-15").resolve("other_0.parquet"));
    String range = "SELECT * FROM " + name + "_v1_daily WHERE ds BETWEEN DATE '2024-01-10' AND DATE '%s'";
    String dataset = "SELECT * FROM read_parquet('" + daily + "/ds=*/" + name + "_v1_daily_*.parquet', hive_partitioning = false)";
    assertThat(difference("(" + range.formatted("2024-01-20") + ")", "(" + dataset + ")")).isZero();
    JsonNode later = runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name
        + "\", \"startDate\": \"2024-01-15\", \"endDate\": \"2024-01-25\", \"parquetDataset\": \"" + name + "/daily\"}");
    assertThat(later.get("result").get("parquetFiles").asInt()).isEqualTo(11);
    assertThat(difference("(" + range.formatted("2024-01-25") + ")", "(" + dataset + ")")).as("16 days, none twice").isZero();
    assertThat(daily.resolve("ds=2024-01-15").resolve("other_0.parquet")).isRegularFile();
    try (Stream<Path> left = Files.list(daily)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no staging folder is left").allMatch(n -> n.startsWith("ds="));
    }
  }

  @Test
  void aJobReadsOnlyTheFilesOfTheDaysItNeeds() throws IOException {
    String table = unique("lake_pruned");
    String name = unique("lake_daily");
    List<Map<String, Object>> events = generate(table, 22, 25, 3000, JAN_1, JAN_1 + DAYS * DAY);
    Path dir = writeDataset(table, name);
    // Every file of Jan 1..18 and 23..29 made unreadable: a job that opened one would fail. Jan 30, the newest day,
    // stays readable: starting a job reads the newest file's columns to check the schema.
    int corrupted = 0;
    for (int d = 0; d < DAYS - 1; d++) {
      LocalDate day = LocalDate.of(2024, 1, 1).plusDays(d);
      if (!day.isBefore(LocalDate.of(2024, 1, 19)) && !day.isAfter(LocalDate.of(2024, 1, 22))) continue;
      for (int i = 0; i < FILES_PER_DAY; i++) {
        Files.writeString(dir.resolve("ds=" + day).resolve("part-" + i + ".parquet"), "not a parquet file");
        corrupted++;
      }
    }
    assertThat(corrupted).isEqualTo((DAYS - 5) * FILES_PER_DAY);
    GroupBy g = parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              parquet: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1d]}
          - {inputColumn: qty, operation: COUNT, windows: [1h, 1d]}
        """.formatted(name, name));
    publish(g, 1);

    runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-20\", \"endDate\": \"2024-01-21\"}");
    assertThat(assertMatchesOracle(compile(g), events, name + "_v1_daily", LocalDate.of(2024, 1, 20), LocalDate.of(2024, 1, 21)))
        .isPositive();

    // The corrupt files are real: a day that needs them fails.
    JsonNode failed = awaitJob(start("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-05\", \"endDate\": \"2024-01-05\"}"));
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
  }

  @Test
  void aDatasetOutsideTheLakeDirectoryOrWithoutFilesIsRefused() {
    String outside = unique("lake_outside");
    publish(parse(lakeGroupBy(outside, "/etc/*.parquet")), 1);
    JsonNode problem = post("/api/v1/jobs/backfill", "{\"groupBy\": \"" + outside + "\", \"startDate\": \"2024-01-02\", \"endDate\": \"2024-01-02\"}", 400);
    assertThat(problem.get("type").asString()).isEqualTo("https://tessera.dev/problems/invalid-request");
    assertThat(problem.get("errors").toString()).contains("groupBy").contains("outside the lake directory");

    String empty = unique("lake_empty");
    publish(parse(lakeGroupBy(empty, empty + "/*/*.parquet")), 1);
    problem = post("/api/v1/jobs/backfill", "{\"groupBy\": \"" + empty + "\", \"startDate\": \"2024-01-02\", \"endDate\": \"2024-01-02\"}", 400);
    assertThat(problem.get("errors").toString()).contains("matches no file in the lake directory");
  }

  /** The backfill tests' GroupBy, reading {@code parquet} instead of a table. */
  private static String lakeGroupBy(String name, String parquet) {
    return onParquet(windowedGroupBy(name, "purchases"), "purchases", parquet);
  }
}
