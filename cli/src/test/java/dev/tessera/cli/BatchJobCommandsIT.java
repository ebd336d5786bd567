package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The job commands against a real batch-service: its executable jar
 * ({@code ../batch-service/target/batch-service-*.jar}, or {@code -Dtessera.batch.jar=...}) runs
 * as a separate process on a fresh data directory, with a DuckDB warehouse this test fills first,
 * GroupBy definitions from a directory (no Kafka) and the Redis on 127.0.0.1:6379 for its health.
 * Skipped, saying why, when the jar has not been built ({@code ./mvnw -pl batch-service -am package -DskipTests}).
 */
class BatchJobCommandsIT {
  static final long DAY = 86_400_000L;
  static final long JAN_1 = 1_704_067_200_000L; // 2024-01-01T00:00Z

  static Process service;
  static Path dir;
  static String batch;
  /**
   * Batch checks every write's credential with the registry ({@code GET /api/v1/auth/me}, README
   * "Security"): a stand-in registry that knows this one token, which the CLI sends.
   */
  static final String TOKEN = "cli-it-token-0123456789";
  static com.sun.net.httpserver.HttpServer registry;

  @BeforeAll
  static void start() throws Exception {
    Path jar = jar();
    Assumptions.assumeTrue(jar != null, "no batch-service jar: build it with ./mvnw -pl batch-service -am package -DskipTests");
    dir = Files.createTempDirectory("tessera-cli-it");
    Files.createDirectories(dir.resolve("definitions"));
    Files.writeString(dir.resolve("definitions/cli_it.yaml"), """
        name: cli_it
        online: false
        keys: [user_id]
        sources:
          - events:
              table: cli_events
              schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1d, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1d]}
        """);
    Files.createDirectories(dir.resolve("data"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data/warehouse.duckdb"));
        Statement s = c.createStatement()) {
      // 400 events of 10 users over 10 days, and one with a null key (rejected: 0.25% of the rows)
      s.execute("CREATE TABLE cli_events AS SELECT 'u' || CAST(i % 10 AS VARCHAR) AS user_id, CAST(i % 97 AS DOUBLE) AS amount,"
          + " CAST(" + JAN_1 + " + i * " + (10 * DAY / 400) + " AS BIGINT) AS ts FROM range(400) t(i)");
      s.execute("INSERT INTO cli_events VALUES (NULL, 1.0, " + (JAN_1 + DAY) + ")");
      s.execute("CREATE TABLE labels AS SELECT 'u' || CAST(i % 10 AS VARCHAR) AS user_id, CAST(" + (JAN_1 + 5 * DAY) + " + i * 3600000 AS BIGINT) AS ts,"
          + " i % 7 = 0 AS is_fraud FROM range(30) t(i)");
    }
    registry = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    registry.createContext("/api/v1/auth/me", exchange -> {
      boolean known = TOKEN.equals(exchange.getRequestHeaders().getFirst("X-API-Key"))
          || ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = (known ? "{\"name\": \"cli-it\", \"roles\": [\"WRITER\"]}" : "{\"status\": 401}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(known ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    registry.start();
    try {
      launch(jar);
    } catch (IllegalStateException exitedEarly) {
      // another build may have been rewriting the jar while it was copied: once more
      launch(jar);
    }
  }

  /**
   * Starts a copy of the jar, so that a build of batch-service running meanwhile (other work on
   * this machine) cannot change classes under the running process.
   */
  static void launch(Path jar) throws Exception {
    Path copy = Files.copy(jar, dir.resolve("batch-service.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    batch = "http://127.0.0.1:" + port;
    service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "--enable-native-access=ALL-UNNAMED", "-jar", copy.toString(), "--server.port=" + port, "--tessera.batch.data-dir=" + dir.resolve("data"),
        "--tessera.batch.partitions=2", "--tessera.batch.chunk-entities=3", "--tessera.batch.warehouse.memory-limit=256MB",
        "--tessera.batch.definitions.source=directory", "--tessera.batch.definitions.directory=" + dir.resolve("definitions"),
        "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--spring.data.redis.host=127.0.0.1", "--spring.main.banner-mode=off",
        "--tessera.security.registry-url=http://127.0.0.1:" + registry.getAddress().getPort())
        .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile()).start();
    awaitHealthy(Duration.ofMinutes(4));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.stop(0);
    if (service != null) {
      service.destroy();
      if (!service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) service.destroyForcibly().waitFor();
    }
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static CliRun run(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--batch=" + batch;
    all[args.length + 1] = "--token=" + TOKEN;
    return CliRun.of(all);
  }

  @Test
  void backfillWaitsForTheJobAndPrintsItsResult() {
    CliRun r = run("backfill", "--conf=cli_it", "--start-date=2024-01-01", "--end-date=2024-01-10", "--poll-ms=100");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).containsPattern("backfill \\d+ COMPLETED in \\d+.*: cli_it v1 -> ")
        .containsPattern("outputTable\\s+cli_it_v1_daily").containsPattern("rowsWritten\\s+\\d+")
        .contains("rejected rows: 1").contains("key 'user_id' is null");
    assertThat(r.err()).as("progress, plain lines: not a terminal").containsPattern("backfill \\d+ COMPLETED  2/2 partitions  401 rows read");
  }

  @Test
  void jsonIsTheFinalJobOnly() {
    CliRun r = run("backfill", "--conf=cli_it", "--start-date=2024-01-05", "--end-date=2024-01-06", "--json", "--poll-ms=100");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode job = Api.JSON.readTree(r.out());
    assertThat(job.path("status").asString()).isEqualTo("COMPLETED");
    // 10 users with events on each of the two days
    assertThat(job.path("result").path("rowsWritten").asLong()).isEqualTo(20);
  }

  @Test
  void trainingSetJoinsEveryLabelRow() {
    CliRun r = run("training-set", "--conf=cli_it", "--left-table=labels", "--time-column=ts", "--output-table=cli_training",
        "--json", "--poll-ms=100");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Api.JSON.readTree(r.out()).path("result").path("rows").asLong()).isEqualTo(30);
  }

  @Test
  void noWaitThenStatusListAndARefusedRestart() {
    CliRun started = run("backfill", "--conf=cli_it", "--start-date=2024-01-02", "--end-date=2024-01-03", "--no-wait");
    assertThat(started.exit()).as(started.err()).isZero();
    String id = started.out().strip();
    assertThat(id).matches("\\d+");

    CliRun waited = run("jobs", "status", id, "--wait", "--poll-ms=100");
    assertThat(waited.exit()).as(waited.err()).isZero();
    assertThat(waited.out()).startsWith("backfill " + id + " COMPLETED").containsPattern("partition\\s+status");

    assertThat(run("jobs", "list", "--type=backfill").out()).containsPattern("(?m)^" + id + "\\s+backfill\\s+COMPLETED\\s+cli_it");

    CliRun restart = run("jobs", "restart", id);
    assertThat(restart.exit()).isEqualTo(1);
    assertThat(restart.err().strip()).startsWith("error: POST /api/v1/jobs/" + id + "/restart -> 409").doesNotContain("\n");
  }

  @Test
  void aJobOverItsRejectLimitFailsWithTheReasonInOneLine() {
    CliRun r = run("backfill", "--conf=cli_it", "--start-date=2024-01-01", "--end-date=2024-01-02", "--max-rejected-rows=0",
        "--poll-ms=100");
    assertThat(r.exit()).isEqualTo(1);
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
    assertThat(errors).hasSize(1);
    // the partition's own error, not Spring Batch's "Partition handler returned an unsuccessful step"
    assertThat(errors.getFirst()).containsPattern("backfill \\d+ FAILED: backfill.compute.partition:p\\d+: partition \\d/2 rejected 1 rows, "
        + "more than the limit of 0").doesNotContain("Exception");
  }

  @Test
  void refusedRequestsAreOneLine() {
    CliRun unknown = run("backfill", "--conf=no_such_groupby", "--start-date=2024-01-01", "--end-date=2024-01-02");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err().strip()).startsWith("error: POST /api/v1/jobs/backfill -> 404").doesNotContain("\n");

    CliRun badLeft = run("training-set", "--conf=cli_it", "--left-table=no_such_table", "--time-column=ts", "--output-table=x");
    assertThat(badLeft.exit()).isEqualTo(1);
    assertThat(badLeft.err().strip()).startsWith("error: POST /api/v1/jobs/training-set -> 400").contains("no_such_table");

    assertThat(run("jobs", "status", "999999").err()).contains("-> 404");
  }

  private static Path jar() throws IOException {
    String given = System.getProperty("tessera.batch.jar");
    if (given != null && !given.isBlank()) return Path.of(given);
    Path target = Path.of("..", "batch-service", "target").toAbsolutePath().normalize();
    if (!Files.isDirectory(target)) return null;
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("batch-service-[\\w.-]+\\.jar"))
          .filter(p -> !p.getFileName().toString().matches(".*-(tests|sources|plain|javadoc)\\.jar")).findFirst().orElse(null);
    }
  }

  private static void awaitHealthy(Duration limit) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) throw new IllegalStateException("batch-service exited: " + tail());
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(batch + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("batch-service not healthy after " + limit + ": " + tail());
  }

  private static String tail() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("service.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
