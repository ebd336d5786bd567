package dev.tessera.agg.pit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointInTimeTest {
  static final long B = 1_717_286_400_000L;
  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: pit_test
      keys: [user_id]
      sources: [{events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h]}
        - {inputColumn: amount, operation: COUNT}
      """).orThrow();

  static Row row(long ts, double amount) {
    return ((SourceResult.Accepted) G.apply(0, Map.of("user_id", "u", "amount", amount, "ts", ts))).row();
  }

  @Test
  void anEventAtExactlyTheQueryTimeIsExcluded() {
    List<Object[]> v = new PointInTime(G).compute(List.of(row(B, 5), row(B + 10, 7)), new long[] {B, B + 1, B + 10, B + 11});
    assertThat(v.get(0)).containsExactly(null, 0L);
    assertThat(v.get(1)).containsExactly(5.0, 1L);
    assertThat(v.get(2)).containsExactly(5.0, 1L);
    assertThat(v.get(3)).containsExactly(12.0, 2L);
  }

  @Test
  void eventsSlideOutOfTheWindowInHops() {
    long t0 = B + 60 * 60_000; // the 1h window at t0 starts at B
    List<Object[]> v = new PointInTime(G).compute(List.of(row(B + 1, 5)), new long[] {t0, t0 + 4 * 60_000, t0 + 5 * 60_000});
    assertThat(v.get(0)[0]).isEqualTo(5.0);
    assertThat(v.get(1)[0]).isEqualTo(5.0);
    assertThat(v.get(2)[0]).isNull();
    assertThat(v.get(2)[1]).isEqualTo(1L);
  }

  @Test
  void queryTimesMustBeSortedAndTheInstanceIsReusable() {
    PointInTime pit = new PointInTime(G);
    assertThatThrownBy(() -> pit.compute(List.of(), new long[] {B + 1, B})).isInstanceOf(IllegalArgumentException.class);
    assertThat(pit.compute(List.of(row(B, 1)), new long[] {B + 1}).get(0)).containsExactly(1.0, 1L);
    assertThat(pit.compute(List.of(), new long[] {B + 1}).get(0)).containsExactly(null, 0L);
  }

  @Test
  void sortByTimeOrdersRows() {
    List<Row> rows = new ArrayList<>(List.of(row(B + 2, 1), row(B, 2), row(B + 1, 3)));
    PointInTime.sortByTime(rows);
    assertThat(rows).extracting(Row::ts).containsExactly(B, B + 1, B + 2);
  }
}
