package dev.tessera.local;

import static dev.tessera.local.TestEvents.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.support.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The Python client against the whole stack, as the README's notebook walkthrough uses it: this
 * test starts the stack, puts three days of purchases and a labels table in the warehouse (through
 * Kafka and the ingest job, the batch service owns the DuckDB file), works out with the naive
 * oracle what every label row's features must be, and runs {@code python/tests/integration} with
 * pytest, which defines the seed's GroupBy in Python, registers it, backfills, builds the training
 * set as a DataFrame, uploads and fetches, and compares with the oracle.
 */
class PythonClientIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  private static final int USERS = 6;
  private static final Path PYTHON = Path.of("").toAbsolutePath().getParent().resolve("python");
  /** The seed's GroupBy as golden YAML; the Python test builds the same one in code. */
  private static final Path SEED = PYTHON.getParent().resolve("common-agg/src/test/resources/golden/definitions/seed_fraud_features.yaml");

  private final String prefix = "py_it_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String groupBy = prefix + "_fraud_features";
  private final String events = prefix + "_purchases";
  private final String labels = prefix + "_labels";

  @Test
  void thePythonClientDefinesRegistersTrainsAndFetchesAsTheReadmeShows() throws Exception {
    LocalDate d = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    long b = d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();   // batch end B = D+1 00:00
    Random r = new Random(11);
    List<Map<String, Object>> purchases = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < 20 + r.nextInt(30); i++) {
        purchases.add(Map.of("user_id", "u" + u, "amount", Math.round(r.nextDouble() * 20000) / 100.0, "ts", b - 3 * DAY + (long) (r.nextDouble() * 3 * DAY)));
      }
    }
    String yaml = Files.readString(SEED).replace("name: fraud_features", "name: " + groupBy)
        .replace("table: purchases", "table: " + events).replace("topic: purchases", "topic: " + events);
    CompiledGroupBy g = GroupByCompiler.compile(yaml).orThrow();
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, purchases);
    NaiveAggregator oracle = new NaiveAggregator(g);
    List<Map<String, Object>> left = new ArrayList<>();
    List<Map<String, Object>> expected = new ArrayList<>();
    for (int u = 0; u < USERS + 1; u++) {   // u6 has no purchases: averages null
      for (long t : List.of(b - 23 * HOUR, b - 5 * HOUR + 7 * MINUTE, b - 30 * MINUTE, b)) {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("user_id", "u" + u, "ts", t, "label", (long) (u + t / MINUTE) % 2));
        left.add(row);
        Map<String, Object> want = new LinkedHashMap<>(row);
        want.put("features", oracle.valuesAt(rows.getOrDefault(List.of("u" + u), List.of()), t));
        expected.add(want);
      }
    }

    try (StackFixture stack = StackFixture.start(Path.of("target", "python-it"))) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
          new StringSerializer(), new StringSerializer())) {
        Topics.ensure(stack.kafka(), events, 2);
        Topics.ensure(stack.kafka(), labels, 1);
        send(producer, events, purchases);
        send(producer, labels, left);
      }
      stack.runJob("ingest", Map.of("topic", events, "table", events, "timeColumn", "ts",
          "schema", Map.of("user_id", "STRING", "amount", "DOUBLE", "ts", "LONG")));
      stack.runJob("ingest", Map.of("topic", labels, "table", labels, "timeColumn", "ts",
          "schema", Map.of("user_id", "STRING", "ts", "LONG", "label", "LONG")));

      Path caseFile = stack.dataDir().resolve("python-case.json");
      Files.writeString(caseFile, Json.MAPPER.writeValueAsString(Map.of("groupBy", groupBy, "eventsTable", events, "labelsTable", labels,
          "date", d.toString(), "batchEnd", b, "rows", expected)));
      Path log = stack.logs().resolve("pytest.log");
      ProcessBuilder run = new ProcessBuilder(System.getenv().getOrDefault("TESSERA_PYTHON", "python3"), "-m", "pytest",
          "-p", "no:cacheprovider", "-m", "stack", "-rs", "-v", "tests/integration")
          .directory(PYTHON.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = run.environment();
      env.put("TESSERA_IT_CASE", caseFile.toString());
      env.put("TESSERA_REGISTRY_URL", stack.url(Service.REGISTRY));
      env.put("TESSERA_FETCHER_URL", stack.url(Service.FETCHER));
      env.put("TESSERA_BATCH_URL", stack.url(Service.BATCH));
      env.put("TESSERA_USER", stack.adminUser());
      env.put("TESSERA_PASSWORD", stack.adminPassword());
      env.remove("TESSERA_TOKEN");
      env.put("PYTHONDONTWRITEBYTECODE", "1");
      Process pytest = run.start();
      try {
        assertThat(pytest.waitFor(10, TimeUnit.MINUTES)).as("pytest ended").isTrue();
      } finally {
        pytest.destroyForcibly();
        stack.deleteRedisKeys("tsr:{" + groupBy + ":*");
        stack.deleteRedisKeys("tsr:upload:" + groupBy + ":*");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(output);
      assertThat(pytest.exitValue()).as("pytest of the Python client against the stack:%n%s", output).isZero();
      assertThat(output).contains("1 passed").doesNotContain("skipped");
    }
  }
}
