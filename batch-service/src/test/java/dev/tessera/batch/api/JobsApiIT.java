package dev.tessera.batch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.batch.testing.RegistryPublisher;
import dev.tessera.batch.testing.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** The REST contract: problem answers, listing, conflicts, stop and restart, Parquet export, metrics. */
class JobsApiIT extends BackfillSupport {

  @Autowired
  BatchServiceProperties properties;

  String setUpGroupBy() {
    String table = unique("api_events");
    String name = unique("api_daily");
    generate(table, 61, 30, 600, JAN_1, JAN_1 + 6 * DAY);
    publish(parse(windowedGroupBy(name, table)), 1);
    return name;
  }

  @Test
  void anErrorCarriesTheRequestIdInItsHeaderAndProblem() {
    http.get().uri("/api/v1/jobs/987654321").header("X-Request-Id", "ticket-4711").exchange()
        .expectStatus().isNotFound()
        .expectHeader().valueEquals("X-Request-Id", "ticket-4711")
        .expectBody().jsonPath("$.requestId").isEqualTo("ticket-4711");
  }

  @Test
  void errorsAreProblemDetailsNamingWhatIsWrong() {
    String name = setUpGroupBy();
    JsonNode unknown = post("/api/v1/jobs/backfill", "{\"groupBy\": \"nope\", \"startDate\": \"2024-01-01\", \"endDate\": \"2024-01-02\"}", 404);
    assertThat(unknown.get("type").asString()).isEqualTo("https://tessera.dev/problems/unknown-groupby");
    assertThat(unknown.get("groupBy").asString()).isEqualTo("nope");

    JsonNode dates = post("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-02-30\", \"endDate\": \"soon\","
        + " \"partitions\": 0, \"parquetPath\": \"../../etc/x.parquet\"}", 400);
    assertThat(dates.get("type").asString()).isEqualTo("https://tessera.dev/problems/invalid-request");
    List<String> fields = new ArrayList<>();
    dates.get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields).containsExactlyInAnyOrder("startDate", "endDate", "partitions", "parquetPath");

    JsonNode order = post("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-05\", \"endDate\": \"2024-01-01\"}", 400);
    assertThat(order.get("errors").get(0).get("field").asString()).isEqualTo("endDate");
    assertThat(order.get("errors").get(0).get("message").asString()).contains("must not be before startDate");

    JsonNode malformed = post("/api/v1/jobs/backfill", "{\"groupBy\": ", 400);
    assertThat(malformed.get("type").asString()).isEqualTo("https://tessera.dev/problems/malformed-request");
    JsonNode wrongType = post("/api/v1/jobs/backfill", "{\"groupBy\": \"x\", \"partitions\": \"many\"}", 400);
    assertThat(wrongType.get("detail").asString()).contains("partitions");

    http.get().uri("/api/v1/jobs/987654321").exchange().expectStatus().isNotFound()
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unknown-job");

    // A retired GroupBy can no longer be backfilled.
    try (RegistryPublisher publisher = new RegistryPublisher(broker.getBrokersAsString())) {
      publisher.retire(name);
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> definitions.live(name).isEmpty());
    post("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-01\", \"endDate\": \"2024-01-02\"}", 404);
  }

  @Test
  void aRunningJobBlocksConflictingOnesAndCanBeStoppedAndRestarted() {
    String name = setUpGroupBy();
    String body = "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-02\", \"endDate\": \"2024-01-05\"}";
    CountDownLatch release = failures.hold(FailurePoints.CHUNK_COMMITTED);
    long id = start("/api/v1/jobs/backfill", body);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> job(id).get("status").asString().equals("STARTED"));

    JsonNode conflict = post("/api/v1/jobs/backfill", body, 409);
    assertThat(conflict.get("type").asString()).isEqualTo("https://tessera.dev/problems/job-conflict");
    assertThat(conflict.get("runningJobId").asLong()).isEqualTo(id);
    post("/api/v1/jobs/" + id + "/restart", "", 409);

    post("/api/v1/jobs/" + id + "/stop", "", 202);
    release.countDown();
    JsonNode stopped = awaitJob(id);
    assertThat(stopped.get("status").asString()).isEqualTo("STOPPED");

    post("/api/v1/jobs/" + id + "/restart", "", 202);
    JsonNode done = awaitJob(id);
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    JsonNode again = post("/api/v1/jobs/" + id + "/restart", "", 409);
    assertThat(again.get("detail").asString()).contains("completed");

    JsonNode list = JSON.readTree(http.get().uri("/api/v1/jobs?type=backfill&limit=50").exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody());
    List<Long> ids = new ArrayList<>();
    list.forEach(j -> ids.add(j.get("id").asLong()));
    assertThat(ids).contains(id);
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void backfillExportsItsRangeToParquetAndCountsInMetrics() throws Exception {
    String name = setUpGroupBy();
    JsonNode view = runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-03\","
        + " \"endDate\": \"2024-01-04\", \"parquetPath\": \"" + name + "/snapshots.parquet\"}");
    Path file = properties.exportDir().toAbsolutePath().normalize().resolve(name).resolve("snapshots.parquet");
    assertThat(view.get("result").get("parquetPath").asString()).isEqualTo(file.toString());
    assertThat(Files.size(file)).isPositive();
    long rows = view.get("result").get("rowsWritten").asLong();
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM read_parquet('" + file + "')")).isEqualTo(rows);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM read_parquet('" + file + "') WHERE ds = DATE '2024-01-03'")).isPositive();

    String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class).returnResult()
        .getResponseBody();
    assertThat(metrics).contains("tessera_batch_rows_total{groupBy=\"" + name + "\",job=\"backfill\",outcome=\"written\"} " + rows + ".0")
        .contains("tessera_batch_jobs_total{job=\"backfill\",status=\"COMPLETED\"}")
        .contains("spring_batch_job");
    http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.components.warehouse.status").isEqualTo("UP");
  }
}
