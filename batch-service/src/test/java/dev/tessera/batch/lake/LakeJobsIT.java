package dev.tessera.batch.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.batch.testing.FeatureLog;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.RecordedRegistry;
import dev.tessera.batch.testing.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import tools.jackson.databind.JsonNode;

/**
 * Lake input for every job that reads sources or left rows, and lake output (README "Parquet
 * sources", "Parquet datasets out"): the same events as a warehouse table and as a Parquet dataset of
 * 30 day folders x 4 files, the same GroupBy definitions over each; a training set (GroupBy and Join,
 * the Join's left rows a dataset of many files too), an upload and a consistency check over the
 * dataset equal the same job over the table, row for row, key for key, count for count.
 */
class LakeJobsIT extends LakeSupport {
  private static final String B_DATE = "2024-01-20";

  @Autowired
  RedisConnectionFactory redis;
  private final List<String> redisPatterns = new ArrayList<>();

  @AfterEach
  void cleanRedis() {
    try (RedisConnection c = redis.getConnection()) {
      for (String pattern : redisPatterns) {
        try (Cursor<byte[]> keys = c.keyCommands().scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
          while (keys.hasNext()) c.keyCommands().del(keys.next());
        }
      }
    }
  }

  /** Generated purchases in a table and in a dataset of the same rows, with a GroupBy of {@code yaml} over each. */
  record Twin(String table, String dataset, String onTable, String onLake, List<Map<String, Object>> events) {}

  /** {@code yaml} formatted with (name, table): published once over the table and once over the dataset. */
  Twin twin(long seed, String yaml) throws IOException {
    String table = unique("lake_events");
    List<Map<String, Object>> events = generate(table, seed, 30, 5000, JAN_1, JAN_1 + DAYS * DAY);
    String dataset = unique("lake_events");
    writeDataset(table, dataset);
    String onTable = unique("lake_on_table");
    String onLake = unique("lake_on_lake");
    publish(parse(yaml.formatted(onTable, table)), 1);
    publish(parse(onParquet(yaml.formatted(onLake, table), table, dataset)), 1);
    return new Twin(table, dataset, onTable, onLake, events);
  }

  /** The GroupBy served online: with a topic on its source (the stream side's; nothing is produced to it here). */
  static String online(String yaml) {
    return yaml.replaceFirst("\n", "\nonline: true\n").replaceFirst("(\n *)schema:", "$1topic: lake_purchases$1schema:");
  }

  @Test
  void aTrainingSetOverADatasetEqualsTheSameOverItsTableAndItsDatasetOutputHasADayFolderPerDay() throws IOException {
    Twin t = twin(41, windowedGroupBy("%s", "%s"));
    String labels = unique("lake_labels");
    Tables.execute(warehouse, "CREATE TABLE " + labels + " AS SELECT user_id, ts + 1 AS ts, qty AS label FROM " + t.table()
        + " WHERE hash(rowid) % 5 = 0 UNION ALL SELECT NULL, " + (JAN_1 + 20 * DAY) + ", 1 UNION ALL SELECT 'u1', NULL, 0");
    long rows = Tables.count(warehouse, "SELECT count(*) FROM " + labels);
    String outTable = unique("lake_ts_table");
    String outLake = unique("lake_ts_lake");
    runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s"}""".formatted(t.onTable(), labels, outTable));
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s", "partitions": 3, "parquetDataset": "%s/out"}"""
        .formatted(t.onLake(), labels, outLake, outLake));

    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + outLake)).isEqualTo(rows);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + outLake + " WHERE amount_sum_7d IS NOT NULL")).isGreaterThan(rows / 2);
    assertThat(difference(outTable, outLake)).as("the same rows and values over the dataset as over the table").isZero();

    // One file per day of the left rows' times (rows without a time in the null partition), the output's rows exactly.
    Path out = Path.of(view.get("result").get("parquetDataset").asString());
    long days = Tables.count(warehouse, "SELECT count(DISTINCT CAST(epoch_ms(ts) AS DATE)) FROM " + labels);
    assertThat(view.get("result").get("parquetFiles").asLong()).isEqualTo(days + 1);
    assertThat(out.resolve("ds=__HIVE_DEFAULT_PARTITION__").resolve(outLake + "_0.parquet")).isRegularFile();
    String dataset = "(SELECT * FROM read_parquet('" + out + "/ds=*/" + outLake + "_*.parquet', hive_partitioning = false))";
    assertThat(difference(outLake, dataset)).isZero();
    // A day file's rows are that day's.
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM read_parquet('" + out + "/ds=2024-01-05/*.parquet') WHERE CAST(epoch_ms(ts) AS DATE)"
        + " <> DATE '2024-01-05'")).isZero();

    // The left rows as a dataset of many files too (leftParquet): the same output.
    String labelsDataset = unique("lake_labels");
    writeDataset(labels, labelsDataset, "ts", "user_id");
    String outBoth = unique("lake_ts_both");
    JsonNode both = runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftParquet": "%s", "timeColumn": "ts", "outputTable": "%s", "partitions": 2}"""
        .formatted(t.onLake(), labelsDataset, outBoth));
    assertThat(both.get("result").get("leftRowsWithoutKeyOrTime").asLong()).isEqualTo(2);
    assertThat(difference(outTable, outBoth)).as("the left rows read from a dataset").isZero();

    // Re-running replaces the job's own files: no row twice, and another output's file in the folder stays.
    Path foreign = out.resolve("ds=2024-01-05").resolve("someone_else_0.parquet");
    Files.copy(out.resolve("ds=2024-01-05").resolve(outLake + "_0.parquet"), foreign);
    runToCompletion("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s", "parquetDataset": "%s/out"}"""
        .formatted(t.onLake(), labels, outLake, outLake));
    assertThat(difference(outLake, dataset)).isZero();
    assertThat(foreign).isRegularFile();
  }

  @Test
  void aJoinWhoseLeftIsADatasetOfManyFilesEqualsTheSameJoinOverTables() throws IOException {
    Twin buyers = twin(42, windowedGroupBy("%s", "%s"));
    Twin shops = twin(43, purchasesGroupBy("merchant", "{inputColumn: amount, operation: SUM, windows: [1d]}",
        "{inputColumn: qty, operation: COUNT, windows: [7d]}"));
    // Left rows: checkouts of buyers at shops, each a millisecond after a purchase; one without a buyer, one without a time.
    String checkouts = unique("lake_checkouts");
    Tables.execute(warehouse, "CREATE TABLE " + checkouts + " AS SELECT user_id AS buyer, merchant AS shop, amount AS amount_now, ts + 1 AS ts,"
        + " CAST(rowid % 2 AS BIGINT) AS label FROM " + buyers.table() + " WHERE hash(rowid) % 4 = 0 AND ts IS NOT NULL AND user_id IS NOT NULL"
        + " UNION ALL SELECT NULL, 'm1', 1.5, " + (JAN_1 + 12 * DAY) + ", 0 UNION ALL SELECT 'u2', 'm2', 2.5, NULL, 1");
    long rows = Tables.count(warehouse, "SELECT count(*) FROM " + checkouts);
    String leftDataset = unique("lake_checkouts");
    writeDataset(checkouts, leftDataset, "ts", "buyer");
    String onTables = join(checkouts, null, buyers.onTable(), shops.onTable());
    String onLake = join(null, leftDataset, buyers.onLake(), shops.onLake());

    String outTables = unique("lake_join_table");
    String outLake = unique("lake_join_lake");
    runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s"}""".formatted(onTables, outTables));
    JsonNode view = runToCompletion("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s", "partitions": 3, "parquetDataset": "%s/out"}""".formatted(onLake, outLake, outLake));

    assertThat(view.get("result").get("rows").asLong()).as("one output row per left row, none dropped").isEqualTo(rows);
    assertThat(view.get("result").get("leftRowsWithoutTime").asLong()).isEqualTo(1);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + outLake + " WHERE buyer_amount_sum_7d IS NOT NULL")).isGreaterThan(rows / 2);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + outLake + " WHERE shop_amount_sum_1d IS NOT NULL")).isGreaterThan(rows / 2);
    assertThat(difference(outTables, outLake)).as("the same rows and values with the left and parts on datasets").isZero();
    Path out = Path.of(view.get("result").get("parquetDataset").asString());
    assertThat(difference(outLake, "(SELECT * FROM read_parquet('" + out + "/ds=*/*.parquet', hive_partitioning = false))")).isZero();

    // A date range reads the days' left files only: the others made unreadable, the result is still the table's.
    Path left = warehouse.lake().root().resolve(leftDataset);
    try (Stream<Path> files = Files.walk(left)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        String day = f.getParent().getFileName().toString();
        if (day.startsWith("ds=") && (day.compareTo("ds=2024-01-10") < 0 || day.compareTo("ds=2024-01-11") > 0) && !day.equals("ds=2024-01-30")) {
          Files.writeString(f, "not a parquet file");
        }
      }
    }
    String rangeTables = unique("lake_join_range_table");
    String rangeLake = unique("lake_join_range_lake");
    String ranged = """
        {"join": "%s", "outputTable": "%s", "startDate": "2024-01-10", "endDate": "2024-01-11"}""";
    runToCompletion("/api/v1/jobs/training-set", ranged.formatted(onTables, rangeTables));
    runToCompletion("/api/v1/jobs/training-set", ranged.formatted(onLake, rangeLake));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + rangeLake)).isPositive();
    assertThat(difference(rangeTables, rangeLake)).isZero();
    assertThat(awaitJob(start("/api/v1/jobs/training-set", """
        {"join": "%s", "outputTable": "%s"}""".formatted(onLake, unique("lake_join_all")))).get("status").asString())
        .as("the files are really unreadable: a job that needs them fails").isEqualTo("FAILED");
  }

  @Test
  void leftRowsAsADatasetThatCannotBeReadAre400sNamingTheField() {
    String name = unique("lake_refused");
    publish(parse(windowedGroupBy(name, "purchases")), 1);
    String request = """
        {"groupBy": "%s", %s, "timeColumn": "ts", "outputTable": "%s"}""";
    assertThat(errors(request.formatted(name, "\"leftTable\": \"labels\", \"leftParquet\": \"labels\"", unique("x"))))
        .contains("leftParquet: give either leftTable or leftParquet, not both");
    assertThat(errors(request.formatted(name, "\"leftParquet\": \"/etc/*.parquet\"", unique("x"))))
        .anyMatch(e -> e.startsWith("leftParquet: ") && e.contains("outside the lake directory"));
    assertThat(errors(request.formatted(name, "\"leftParquet\": \"no_such_labels/*.parquet\"", unique("x"))))
        .anyMatch(e -> e.startsWith("leftParquet: ") && e.contains("matches no file in the lake directory"));
    assertThat(errors(request.formatted(name, "\"leftParquet\": \"../labels\"", unique("x"))))
        .anyMatch(e -> e.startsWith("leftParquet: ") && e.contains("'..' segment"));
    assertThat(errors("""
        {"join": "j", "leftParquet": "labels", "outputTable": "x"}""")).contains("leftParquet: is not used with join: the Join names its left rows (left.parquet)");
    String join = unique("lake_refused_join");
    Join outside = JoinReader.read("""
        name: %s
        left: {parquet: /etc/checkouts, timeColumn: ts, schema: {buyer: STRING, ts: LONG}}
        parts: [{groupBy: %s, keyMapping: {buyer: user_id}}]
        """.formatted(join, name)).join();
    RecordedRegistry.INSTANCE.record(new PublishedJoin(join, 1, outside, Instant.parse("2026-01-01T00:00:00Z"), "test"));
    assertThat(errors("""
        {"join": "%s", "outputTable": "%s", "parquetDataset": "x.parquet"}""".formatted(join, unique("x"))))
        .anyMatch(e -> e.startsWith("join: left.parquet: ") && e.contains("outside the lake directory"))
        .contains("parquetDataset: names a folder of day folders, not a .parquet file (for one file use parquetPath)");
  }

  /** The {@code field: message} of every problem of a 400 answer. */
  private List<String> errors(String trainingSet) {
    JsonNode problem = post("/api/v1/jobs/training-set", trainingSet, 400);
    assertThat(problem.get("type").asString()).isEqualTo("https://tessera.dev/problems/invalid-request");
    List<String> out = new ArrayList<>();
    problem.get("errors").forEach(e -> out.add(e.get("field").asString() + ": " + e.get("message").asString()));
    return out;
  }

  /** A Join of a buyer part and a shop part, with a request field and a derivation, over a left table or dataset, at the registry. */
  private String join(String table, String dataset, String buyers, String shops) {
    String name = unique("lake_join");
    JoinParseResult parsed = JoinReader.read("""
        name: %s
        left:
          %s
          timeColumn: ts
          schema: {buyer: STRING, shop: STRING, amount_now: DOUBLE, ts: LONG, label: LONG}
        parts:
          - {groupBy: %s, keyMapping: {buyer: user_id}, prefix: buyer}
          - {groupBy: %s, keyMapping: {shop: merchant}, prefix: shop}
        request: [amount_now]
        derivations:
          - {name: share_of_day, expression: "amount_now / shop_amount_sum_1d"}
        """.formatted(name, table != null ? "table: " + table : "parquet: " + dataset, buyers, shops));
    assertThat(parsed.problems()).isEmpty();
    Join j = parsed.join();
    RecordedRegistry.INSTANCE.record(new PublishedJoin(name, 1, j, Instant.parse("2026-01-01T00:00:00Z"), "test"));
    return name;
  }

  @Test
  void anUploadOverADatasetWritesTheSameBatchIrsAsOverItsTable() throws IOException {
    Twin t = twin(44, online(windowedGroupBy("%s", "%s")));
    for (String g : List.of(t.onTable(), t.onLake())) {
      redisPatterns.add(RedisKeys.versionPattern(g, 1));
      redisPatterns.add(RedisKeys.uploadKey(g, 1));
      runToCompletion("/api/v1/jobs/upload", """
          {"groupBy": "%s", "date": "%s"}""".formatted(g, B_DATE));
    }
    assertThat(get(RedisKeys.uploadKey(t.onLake(), 1))).isNotNull().isEqualTo(get(RedisKeys.uploadKey(t.onTable(), 1)));
    int compared = 0;
    for (var user : t.events().stream().map(e -> e.get("user_id")).filter(java.util.Objects::nonNull).distinct().toList()) {
      byte[] onTable = bytes(RedisKeys.batchKey(t.onTable(), 1, List.of(user)));
      byte[] onLake = bytes(RedisKeys.batchKey(t.onLake(), 1, List.of(user)));
      assertThat(Arrays.equals(onTable, onLake)).as("batch IR of %s", user).isTrue();
      if (onTable != null) compared++;
    }
    assertThat(compared).as("entities with a batch IR").isGreaterThan(10);
  }

  /** A GroupBy of sums and counts: (name, table). */
  private static final String COUNTS = purchasesGroupBy("user_id", "{inputColumn: amount, operation: SUM, windows: [1h, 1d]}",
      "{inputColumn: qty, operation: COUNT, windows: [7d]}");

  /** A GroupBy of the purchases by {@code key}, every event counted, with these aggregations: (name, table) still to format. */
  static String purchasesGroupBy(String key, String... aggregations) {
    return """
        name: %%s
        keys: [%s]
        sources:
          - events:
              table: %%s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
        """.formatted(key) + String.join("", Arrays.stream(aggregations).map(a -> "  - " + a + "\n").toList());
  }

  @Test
  void aConsistencyCheckOverADatasetFindsWhatItFindsOverItsTable() throws IOException {
    Twin t = twin(45, online(COUNTS));
    // Fetches of Jan 20 logged as the fetcher logs them, with the oracle's values (one tampered with), for both GroupBys.
    CompiledGroupBy g = compile(parse(COUNTS.formatted("oracle", "any")));
    Oracle oracle = new Oracle(g);
    Map<List<Object>, List<Row>> byKey = Entities.rowsByKey(g, t.events());
    List<String> log = new ArrayList<>();
    long day = JAN_1 + 19 * DAY;
    int fetches = 0;
    for (var e : byKey.entrySet()) {
      for (int i = 0; i < 3; i++) {
        long at = day + 1 + (Math.floorMod(e.getKey().hashCode() * 31L + i * 7919L, DAY - 2));
        Map<String, Object> served = new java.util.LinkedHashMap<>(oracle.valuesAt(e.getValue(), at));
        if (fetches == 0) served.put("qty_count_7d", ((Number) served.get("qty_count_7d")).longValue() + 1);
        for (String name : List.of(t.onTable(), t.onLake())) {
          log.add(FeatureLog.record(name, 1, (String) e.getKey().getFirst(), at, served, false));
        }
        fetches++;
      }
    }
    String topic = unique("lake_flog");
    createTopic(topic, 1);
    produce(topic, log, day + 5000);
    String logTable = unique("lake_flog");
    runToCompletion("/api/v1/jobs/ingest", """
        {"topic": "%s", "table": "%s", "format": "feature-log"}""".formatted(topic, logTable));

    List<JsonNode> results = new ArrayList<>();
    for (String name : List.of(t.onTable(), t.onLake())) {
      results.add(runToCompletion("/api/v1/jobs/consistency", """
          {"groupBy": "%s", "startDate": "%s", "endDate": "%s", "logTable": "%s"}""".formatted(name, B_DATE, B_DATE, logTable))
          .get("result"));
    }
    JsonNode lake = results.get(1);
    assertThat(lake.get("fetchesChecked").asLong()).isEqualTo(fetches);
    assertThat(lake.get("features").toString()).isEqualTo(results.get(0).get("features").toString());
    long mismatches = 0;
    for (JsonNode f : lake.get("features")) mismatches += f.get("mismatches").asLong();
    assertThat(mismatches).as("only the tampered value differs").isEqualTo(1);
  }

  byte[] bytes(String key) {
    try (RedisConnection c = redis.getConnection()) {
      return c.stringCommands().get(key.getBytes(StandardCharsets.UTF_8));
    }
  }

  String get(String key) {
    byte[] v = bytes(key);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }
}
