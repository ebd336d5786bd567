package dev.tessera.bench;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The GroupBys and data the issues name for the figures. */
final class BenchGroupBys {
  static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  static final long START = 1_717_200_000_000L - 1_717_200_000_000L % DAY;

  private BenchGroupBys() {}

  /** 1h, 24h and 7d windows of SUM, COUNT and AVG: the GroupBy of the point-in-time and merge targets. */
  static CompiledGroupBy sumCountAvg() {
    return GroupByCompiler.compile("""
        name: bench_sum_count_avg
        keys: [user_id]
        sources: [{events: {table: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: AVG, windows: [1h, 24h, 7d]}
        """).orThrow();
  }

  /** Rows {user_id, amount, ts} of {@code keys} users spread over {@code days} days, in random order. */
  static List<Row> rows(int events, int keys, int days, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] users = new String[keys];
    for (int i = 0; i < keys; i++) users[i] = "user_" + i;
    List<Row> out = new ArrayList<>(events);
    long span = days * DAY;
    for (int i = 0; i < events; i++) {
      long ts = START + r.nextLong(span);
      double amount = Math.round(r.nextDouble() * 50_000) / 100.0;
      out.add(new Row(ts, new Object[] {users[r.nextInt(keys)], amount, ts}));
    }
    return out;
  }
}
