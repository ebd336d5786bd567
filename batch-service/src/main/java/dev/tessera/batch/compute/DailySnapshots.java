package dev.tessera.batch.compute;

import java.util.Arrays;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The backfill's daily snapshots of one entity: for each day {@code D} of the range, the feature
 * values as of the end of that day ({@code t = D + 1 day, 00:00 UTC}; events with {@code ts < t},
 * windows as DESIGN.md defines them). An entity gets a row for {@code D} only when at least one of
 * its events lies inside some window as of {@code t} (any event before {@code t} for a GroupBy with
 * a lifetime aggregation): a day on which every feature would be empty has no row. One instance per
 * thread.
 */
public final class DailySnapshots {

  @FunctionalInterface
  public interface Sink {
    void accept(LocalDate ds, Object[] values);
  }

  private final CompiledGroupBy groupBy;
  private final LocalDate[] days;
  private final long[] ends;
  private final Long[] earliest;
  private final PointInTime pointInTime;

  public DailySnapshots(CompiledGroupBy groupBy, LocalDate start, LocalDate end) {
    if (end.isBefore(start)) throw new IllegalArgumentException("end " + end + " is before start " + start);
    this.groupBy = groupBy;
    int n = Math.toIntExact(end.toEpochDay() - start.toEpochDay() + 1);
    this.days = new LocalDate[n];
    this.ends = new long[n];
    this.earliest = new Long[n];
    for (int i = 0; i < n; i++) {
      days[i] = start.plusDays(i);
      ends[i] = endOf(days[i]);
      earliest[i] = ReadWindow.earliestStart(groupBy, ends[i]);
    }
    this.pointInTime = new PointInTime(groupBy);
  }

  /** {@code D + 1 day, 00:00 UTC} in epoch millis: the snapshot time of day {@code D}. */
  public static long endOf(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The events the whole range needs. */
  public ReadWindow readWindow() {
    return ReadWindow.forQueries(groupBy, ends[0], ends[ends.length - 1]);
  }

  public int dayCount() {
    return days.length;
  }

  /**
   * @param rowsByTime one entity's rows sorted by time
   * @return the number of snapshots produced
   */
  public int compute(List<Row> rowsByTime, Sink sink) {
    long[] times = new long[days.length];
    LocalDate[] which = new LocalDate[days.length];
    int q = 0;
    for (int i = 0; i < days.length; i++) {
      if (hasEventIn(rowsByTime, earliest[i], ends[i])) {
        times[q] = ends[i];
        which[q++] = days[i];
      }
    }
    if (q == 0) return 0;
    long[] queries = q == times.length ? times : Arrays.copyOf(times, q);
    pointInTime.compute(rowsByTime, queries, (index, t, values) -> sink.accept(which[index], values));
    return q;
  }

  /** True when a row has {@code from <= ts < to} (no lower bound when {@code from} is null). */
  static boolean hasEventIn(List<Row> rowsByTime, Long from, long to) {
    int lo = 0;
    int hi = rowsByTime.size();
    long lower = from == null ? Long.MIN_VALUE : from;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (rowsByTime.get(mid).ts() < lower) lo = mid + 1;
      else hi = mid;
    }
    return lo < rowsByTime.size() && rowsByTime.get(lo).ts() < to;
  }
}
