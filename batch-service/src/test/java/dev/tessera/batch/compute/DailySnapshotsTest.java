package dev.tessera.batch.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.NaiveAggregator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailySnapshotsTest {
  static final long DAY = 86_400_000L;
  static final long JAN_1 = 1_704_067_200_000L;

  static CompiledGroupBy groupBy(String aggregations) {
    return GroupByCompiler.compile("""
        name: snap
        keys: [user_id]
        sources:
          - events:
              table: t
              schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
        %s
        """.formatted(aggregations)).orThrow();
  }

  static Row row(double amount, long ts) {
    return new Row(ts, new Object[] {"u", amount, ts});
  }

  @Test
  void aDayHasARowOnlyWhenSomeEventIsInsideAWindowAsOfItsEnd() {
    CompiledGroupBy g = groupBy("  - {inputColumn: amount, operation: SUM, windows: [1d]}");
    // Events on Jan 2 and Jan 5; days Jan 1..6; t = end of day.
    List<Row> rows = List.of(row(1.0, JAN_1 + DAY + 5), row(2.0, JAN_1 + 4 * DAY + 7));
    Map<LocalDate, Object[]> out = new LinkedHashMap<>();
    new DailySnapshots(g, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 6)).compute(rows, out::put);
    assertThat(out.keySet()).containsExactly(LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 5));
    assertThat(out.get(LocalDate.of(2024, 1, 2))[0]).isEqualTo(1.0);
    assertThat(out.get(LocalDate.of(2024, 1, 5))[0]).isEqualTo(2.0);
  }

  @Test
  void valuesAreThoseAsOfTheNextMidnightAndAgreeWithTheOracle() {
    CompiledGroupBy g = groupBy("""
          - {inputColumn: amount, operation: SUM, windows: [1h, 7d]}
          - {inputColumn: amount, operation: COUNT}
        """);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) rows.add(row(i, JAN_1 + i * 7 * 3_600_000L)); // every 7 hours for ~12 days
    rows.add(row(100.0, JAN_1 + 3 * DAY)); // exactly at midnight Jan 4: belongs to Jan 4, not Jan 3
    rows.sort((a, b) -> Long.compare(a.ts(), b.ts()));
    DailySnapshots snapshots = new DailySnapshots(g, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 14));
    NaiveAggregator oracle = new NaiveAggregator(g);
    List<LocalDate> days = new ArrayList<>();
    snapshots.compute(rows, (ds, values) -> {
      days.add(ds);
      Map<String, Object> expected = oracle.valuesAt(rows, DailySnapshots.endOf(ds));
      assertThat(values).containsExactly(expected.values().toArray());
    });
    assertThat(days).hasSize(13);
    assertThat(DailySnapshots.endOf(LocalDate.of(2024, 1, 3))).isEqualTo(JAN_1 + 3 * DAY);
  }

  @Test
  void theReadWindowReachesBackTheLongestWindowOrToTheBeginning() {
    DailySnapshots windowed = new DailySnapshots(groupBy("  - {inputColumn: amount, operation: SUM, windows: [1h, 7d]}"),
        LocalDate.of(2024, 1, 10), LocalDate.of(2024, 1, 12));
    assertThat(windowed.readWindow()).isEqualTo(new ReadWindow(JAN_1 + 10 * DAY - 7 * DAY, JAN_1 + 12 * DAY));
    DailySnapshots lifetime = new DailySnapshots(groupBy("  - {inputColumn: amount, operation: SUM}"),
        LocalDate.of(2024, 1, 10), LocalDate.of(2024, 1, 12));
    assertThat(lifetime.readWindow().from()).isNull();
  }
}
