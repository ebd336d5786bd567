package dev.tessera.batch.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.WarehouseColumn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/jobs/{id}/output} against the DuckDB warehouse: a completed job's table comes
 * back row for row in both formats, and everything else is a problem answer.
 */
class JobOutputIT extends BackfillSupport {

  String backfilled() {
    String table = unique("out_events");
    String name = unique("out_daily");
    generate(table, 17, 20, 400, JAN_1, JAN_1 + 4 * DAY);
    publish(parse(windowedGroupBy(name, table)), 1);
    return name;
  }

  @Test
  void aCompletedBackfillDownloadsAsCsvAndJsonLinesRowForRow() {
    String name = backfilled();
    JsonNode job = runToCompletion("/api/v1/jobs/backfill",
        "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-02\", \"endDate\": \"2024-01-04\"}");
    String table = job.get("result").get("outputTable").asString();
    List<Map<String, Object>> expected = Tables.query(warehouse, "SELECT * FROM " + table + " ORDER BY user_id, ds");
    assertThat(expected).hasSizeGreaterThan(10);
    List<String> columns = warehouse.columns(TableName.parse(table)).stream().map(WarehouseColumn::name).toList();

    long id = job.get("id").asLong();
    String csv = download(id, "csv", "text/csv");
    List<String> lines = csv.lines().toList();
    assertThat(lines.getFirst()).isEqualTo(String.join(",", columns));
    assertThat(lines).hasSize(expected.size() + 1);

    List<JsonNode> rows = new ArrayList<>(download(id, "jsonl", "application/x-ndjson").lines().map(JSON::readTree).toList());
    rows.sort(Comparator.comparing((JsonNode r) -> r.get("user_id").asString()).thenComparing(r -> r.get("ds").asString()));
    assertThat(rows).hasSize(expected.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      Map<String, Object> want = expected.get(i);
      assertThat(row.propertyNames()).containsExactlyElementsOf(columns);
      assertThat(row.get("user_id").asString()).isEqualTo(want.get("user_id"));
      assertThat(row.get("ds").asString()).isEqualTo(String.valueOf(want.get("ds")));
      // numbers stay JSON numbers, nulls stay null, lists stay the warehouse's JSON text
      assertThat(row.get("amount_count_1d").isIntegralNumber()).isTrue();
      assertThat(row.get("amount_count_1d").asLong()).isEqualTo(((Number) want.get("amount_count_1d")).longValue());
      if (want.get("amount_sum_7d") == null) {
        assertThat(row.get("amount_sum_7d").isNull()).isTrue();
      } else {
        assertThat(row.get("amount_sum_7d").asDouble()).isEqualTo(((Number) want.get("amount_sum_7d")).doubleValue());
      }
      assertThat(row.get("merchant_last_k_1d").isNull() ? null : row.get("merchant_last_k_1d").asString())
          .isEqualTo(want.get("merchant_last_k_1d") == null ? null : want.get("merchant_last_k_1d").toString());
    }
  }

  @Test
  void onlyACompletedJobsOwnTableIsServed() {
    JsonNode unknown = problem("/api/v1/jobs/987654321/output", 404);
    assertThat(unknown.get("type").asString()).isEqualTo("https://tessera.dev/problems/unknown-job");

    String name = backfilled();
    CountDownLatch release = failures.hold(FailurePoints.CHUNK_COMMITTED);
    long running = start("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-02\", \"endDate\": \"2024-01-03\"}");
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> job(running).get("status").asString().equals("STARTED"));
    JsonNode notFinished = problem("/api/v1/jobs/" + running + "/output", 409);
    assertThat(notFinished.get("type").asString()).isEqualTo("https://tessera.dev/problems/job-state");
    assertThat(notFinished.get("detail").asString()).contains("STARTED", "COMPLETED");
    release.countDown();
    assertThat(awaitJob(running).get("status").asString()).isEqualTo("COMPLETED");

    JsonNode format = problem("/api/v1/jobs/" + running + "/output?format=parquet", 400);
    assertThat(format.get("errors").get(0).get("field").asString()).isEqualTo("format");
    // a caller names one of the job's tables by its role, never a table: anything else is refused
    JsonNode other = problem("/api/v1/jobs/" + running + "/output?table=tessera_ingest_offsets", 400);
    assertThat(other.get("errors").get(0).get("message").asString()).contains("[output]");

    String table = job(running).get("result").get("outputTable").asString();
    Tables.execute(warehouse, "DROP TABLE " + table);
    assertThat(problem("/api/v1/jobs/" + running + "/output", 409).get("detail").asString()).contains("no longer");
  }

  private String download(long id, String format, String mediaType) {
    byte[] body = http.get().uri("/api/v1/jobs/" + id + "/output?format=" + format).exchange().expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType(mediaType))
        .expectBody().returnResult().getResponseBody();
    return new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
  }

  private JsonNode problem(String uri, int status) {
    byte[] body = http.get().uri(uri).exchange().expectStatus().isEqualTo(status)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().returnResult().getResponseBody();
    return JSON.readTree(body);
  }

}
