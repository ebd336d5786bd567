package dev.tessera.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rows the source cannot turn into events are skipped, counted by reason with samples, and fatal only over the limit. */
class BadRowsIT extends BatchServiceIT {
  static final long T0 = 1_704_067_200_000L; // 2024-01-01

  String setUp(String name, String table) {
    // qty is DOUBLE in the warehouse but LONG in the schema: 2.0 is fine, 2.5 is not.
    Tables.execute(warehouse, "CREATE TABLE " + table + " (user_id VARCHAR, qty DOUBLE, ts BIGINT)");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) rows.add(row("u" + (i % 10), 2.0, T0 + i * 60_000L));
    rows.add(row(null, 1.0, T0 + 5));
    rows.add(row(null, 1.0, T0 + 6));
    rows.add(row("u1", 2.5, T0 + 7));
    rows.add(row("u2", 3.5, T0 + 8));
    rows.add(row("u3", 4.5, T0 + 9));
    rows.add(row("u4", 1.0, null));
    Tables.insert(warehouse, table, List.of("user_id", "qty", "ts"), rows);
    publish(parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, qty: LONG, ts: LONG}
              query: {timeColumn: "ts"}
        aggregations:
          - {inputColumn: qty, operation: SUM}
        """.formatted(name, table)), 1);
    return "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-01\", \"endDate\": \"2024-01-01\"";
  }

  @Test
  void badRowsAreSkippedAndReportedByReason() {
    String table = unique("bad_rows");
    String name = unique("bad_rows");
    JsonNode view = runToCompletion("/api/v1/jobs/backfill", setUp(name, table) + ", \"maxRejectedFraction\": 0.1}");
    JsonNode rejections = view.get("rejections");
    assertThat(rejections.get("total").asLong()).isEqualTo(6);
    Map<String, Long> reasons = new HashMap<>();
    rejections.get("reasons").properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
    assertThat(reasons).containsEntry("key 'user_id' is null", 2L)
        .containsEntry("column 'qty': expected LONG, got a number", 3L)
        .containsEntry("no event time: timeColumn 'ts' is null", 1L);
    assertThat(rejections.get("samples").size()).isEqualTo(6);
    assertThat(rejections.get("samples").toString()).contains("qty=2.5").contains("user_id=null");
    assertThat(view.get("progress").get("rowsRead").asLong()).isEqualTo(206);
    assertThat(view.get("progress").get("rowsAccepted").asLong()).isEqualTo(200);
    assertThat(Tables.query(warehouse, "SELECT qty_sum FROM " + name + "_v1_daily WHERE user_id = 'u1'").getFirst().get("qty_sum"))
        .isEqualTo(40L);
  }

  @Test
  void tooManyBadRowsFailTheJobWithTheReasons() {
    String table = unique("bad_rows");
    String name = unique("bad_rows");
    String base = setUp(name, table);
    JsonNode byCount = awaitJob(start("/api/v1/jobs/backfill", base + ", \"maxRejectedRows\": 5, \"maxRejectedFraction\": 1}"));
    assertThat(byCount.get("status").asString()).isEqualTo("FAILED");
    assertThat(byCount.get("errors").toString()).contains("more than the limit of 5 (maxRejectedRows)").contains("key 'user_id' is null");
    JsonNode byFraction = awaitJob(start("/api/v1/jobs/backfill", base + "}")); // default limit: 1% of 206 rows
    assertThat(byFraction.get("status").asString()).isEqualTo("FAILED");
    assertThat(byFraction.get("errors").toString()).contains("(maxRejectedFraction)");
    JsonNode restarted = post("/api/v1/jobs/" + byFraction.get("id").asLong() + "/restart", "", 202);
    assertThat(awaitJob(restarted.get("id").asLong()).get("status").asString()).as("the limit still holds").isEqualTo("FAILED");
  }

  static Map<String, Object> row(String user, Double qty, Long ts) {
    Map<String, Object> r = new HashMap<>();
    r.put("user_id", user);
    r.put("qty", qty);
    r.put("ts", ts);
    return r;
  }
}
