package dev.tessera.agg.pit;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Point-in-time aggregation for backfill and training sets: one entity's rows and a sorted list of
 * query times in, the feature values as of each time out (events with {@code ts < t} only, windows
 * exactly as DESIGN.md defines them). One sweep in time order with one {@link WindowSweep} per
 * window: a {@link RetractingSweep} where every operation of the window can take rows back out,
 * else a {@link HopSweep} (exact head hop plus a queue of completed hops). Either way the cost is
 * O((rows + queries) * windows), whatever the windows' lengths. One instance per thread.
 */
public final class PointInTime {

  /** Receives the values of query {@code index}, in the order of {@code features()}. */
  @FunctionalInterface
  public interface Sink {
    void accept(int index, long t, Object[] values);
  }

  private static final Comparator<Row> BY_TIME = Comparator.comparingLong(Row::ts);

  private final int[][] featureSlots;
  private final int featureCount;
  private final WindowSweep[] sweeps;

  public PointInTime(CompiledGroupBy groupBy) {
    RowAggregator agg = groupBy.aggregator();
    List<WindowGroup> groups = groupBy.windowGroups();
    List<Feature> features = groupBy.features();
    this.featureCount = features.size();
    this.featureSlots = new int[groups.size()][];
    this.sweeps = new WindowSweep[groups.size()];
    RowIr scratch = agg.newIr();
    for (int g = 0; g < groups.size(); g++) {
      WindowGroup group = groups.get(g);
      featureSlots[g] = group.features().stream().mapToInt(features::indexOf).toArray();
      sweeps[g] = !group.isLifetime() && agg.isReversible(group.columns())
          ? new RetractingSweep(agg, group)
          : new HopSweep(agg, group, scratch);
    }
  }

  /**
   * Sorts rows by event time, in place, stably. Already sorted input (what a warehouse query with
   * ORDER BY returns) costs one pass; otherwise (time, position) pairs are packed into longs and
   * sorted as primitives, several times faster than a comparator over objects.
   */
  public static void sortByTime(List<Row> rows) {
    int n = rows.size();
    if (n < 2) return;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long previous = Long.MIN_VALUE;
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      long ts = rows.get(i).ts();
      if (ts < previous) sorted = false;
      previous = ts;
      min = Math.min(min, ts);
      max = Math.max(max, ts);
    }
    if (sorted) return;
    if (n >= 1 << 20 || max - min >= 1L << 43 || max - min < 0) {
      rows.sort(BY_TIME);
      return;
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) packed[i] = ((rows.get(i).ts() - min) << 20) | i;
    java.util.Arrays.sort(packed);
    Row[] copy = rows.toArray(Row[]::new);
    for (int i = 0; i < n; i++) rows.set(i, copy[(int) (packed[i] & 0xFFFFF)]);
  }

  /** Values at each query time; convenience for tests and small inputs. */
  public List<Object[]> compute(List<Row> rowsByTime, long[] sortedQueryTimes) {
    List<Object[]> out = new ArrayList<>(sortedQueryTimes.length);
    compute(rowsByTime, sortedQueryTimes, (i, t, values) -> out.add(values));
    return out;
  }

  /**
   * @param rowsByTime the entity's rows sorted by event time
   * @param sortedQueryTimes ascending query times
   */
  public void compute(List<Row> rowsByTime, long[] sortedQueryTimes, Sink sink) {
    for (WindowSweep s : sweeps) s.reset(rowsByTime);
    int next = 0;
    int n = rowsByTime.size();
    long previous = Long.MIN_VALUE;
    for (int q = 0; q < sortedQueryTimes.length; q++) {
      long t = sortedQueryTimes[q];
      if (t < previous) throw new IllegalArgumentException("query times must be sorted: " + t + " after " + previous);
      previous = t;
      while (next < n && rowsByTime.get(next).ts() < t) {
        Row row = rowsByTime.get(next++);
        for (WindowSweep s : sweeps) s.add(row);
      }
      Object[] values = new Object[featureCount];
      for (int g = 0; g < sweeps.length; g++) {
        sweeps[g].valuesAt(t, values, featureSlots[g]);
      }
      sink.accept(q, t, values);
    }
  }
}
