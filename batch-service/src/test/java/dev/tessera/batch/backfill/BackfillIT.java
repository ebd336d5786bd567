package dev.tessera.batch.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.GroupBy;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Backfill through the REST API against a generated DuckDB warehouse, checked row by row against the oracle. */
class BackfillIT extends BackfillSupport {

  @Test
  void backfillEqualsTheOracleForEveryRowAndRerunsReplaceNotDuplicate() {
    String table = unique("purchases");
    String name = unique("daily_spend");
    List<Map<String, Object>> events = generate(table, 11, 30, 2500, JAN_1, JAN_1 + 16 * DAY);
    GroupBy g = parse(windowedGroupBy(name, table));
    publish(g, 1);

    JsonNode view = runToCompletion("/api/v1/jobs/backfill",
        "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-03\", \"endDate\": \"2024-01-14\"}");
    String output = name + "_v1_daily";
    int checked = assertMatchesOracle(compile(g), events, output, LocalDate.of(2024, 1, 3), LocalDate.of(2024, 1, 14));
    assertThat(checked).isGreaterThan(200);
    JsonNode progress = view.get("progress");
    assertThat(progress.get("partitionsDone").asInt()).isEqualTo(2);
    assertThat(progress.get("partitionsTotal").asInt()).isEqualTo(2);
    assertThat(progress.get("rowsWritten").asLong()).isEqualTo(checked);
    assertThat(progress.get("rowsRejected").asLong()).isZero();
    assertThat(progress.get("rowsFiltered").asLong()).isPositive(); // the EUR events
    assertThat(view.get("result").get("outputTable").asString()).isEqualTo(output);
    assertThat(view.get("version").asLong()).isEqualTo(1);

    // The same range again, then part of it: rows are replaced, never duplicated.
    runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-03\", \"endDate\": \"2024-01-14\", \"partitions\": 3}");
    runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-06\", \"endDate\": \"2024-01-07\"}");
    assertThat(assertMatchesOracle(compile(g), events, output, LocalDate.of(2024, 1, 3), LocalDate.of(2024, 1, 14))).isEqualTo(checked);
  }

  @Test
  void lifetimeAggregationsReadEveryEventBeforeTheRange() {
    String table = unique("purchases");
    String name = unique("lifetime");
    List<Map<String, Object>> events = generate(table, 12, 12, 600, JAN_1, JAN_1 + 20 * DAY);
    GroupBy g = parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: MAX}
          - {inputColumn: merchant, operation: UNIQUE_COUNT}
          - {inputColumn: qty, operation: SUM, windows: [1d]}
        """.formatted(name, table));
    publish(g, 3);
    runToCompletion("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-15\", \"endDate\": \"2024-01-18\"}");
    assertThat(assertMatchesOracle(compile(g), events, name + "_v3_daily", LocalDate.of(2024, 1, 15), LocalDate.of(2024, 1, 18)))
        .isEqualTo(12 * 4);
  }

}
