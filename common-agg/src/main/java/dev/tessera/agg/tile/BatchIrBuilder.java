package dev.tessera.agg.tile;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.window.Windows;
import java.util.List;
import java.util.TreeMap;

/**
 * Builds one entity's {@link BatchIr} for batch end {@code B} from its rows, in any order. Rows at
 * or after {@code B} belong to the stream side and are ignored; rows too old for every window cost
 * nothing.
 */
public final class BatchIrBuilder {
  private final RowAggregator agg;
  private final long end;
  private final WindowGroup[] groups;
  private final long[] collapsedStart;
  private final long[] tailStart;
  private final long[] tailEnd;
  private final RowIr[] collapsed;
  private final TreeMap<Long, RowIr>[] hops;

  @SuppressWarnings("unchecked")
  public BatchIrBuilder(CompiledGroupBy groupBy, long batchEnd) {
    this.agg = groupBy.aggregator();
    this.end = batchEnd;
    List<WindowGroup> gs = groupBy.windowGroups();
    this.groups = gs.toArray(WindowGroup[]::new);
    int n = groups.length;
    collapsedStart = new long[n];
    tailStart = new long[n];
    tailEnd = new long[n];
    collapsed = new RowIr[n];
    hops = new TreeMap[n];
    for (int i = 0; i < n; i++) {
      long w = groups[i].millis();
      collapsedStart[i] = Windows.collapsedStart(batchEnd, w);
      tailStart[i] = Windows.tailStart(batchEnd, w);
      tailEnd[i] = Windows.tailEnd(batchEnd, w);
      hops[i] = new TreeMap<>();
    }
  }

  public long end() {
    return end;
  }

  public BatchIrBuilder add(Row row) {
    long ts = row.ts();
    if (ts >= end) return this;
    for (int i = 0; i < groups.length; i++) {
      int[] cols = groups[i].columns();
      if (ts >= collapsedStart[i]) {
        if (collapsed[i] == null) collapsed[i] = agg.newIr();
        agg.update(collapsed[i], row, cols);
      } else if (ts >= tailStart[i] && ts < tailEnd[i]) {
        long hopStart = Windows.floor(ts, groups[i].hop());
        agg.update(hops[i].computeIfAbsent(hopStart, h -> agg.newIr()), row, cols);
      }
    }
    return this;
  }

  public BatchIrBuilder addAll(Iterable<Row> rows) {
    rows.forEach(this::add);
    return this;
  }

  /** True when no row fell into any part: there is nothing worth uploading. */
  public boolean isEmpty() {
    for (int i = 0; i < groups.length; i++) {
      if (collapsed[i] != null || !hops[i].isEmpty()) return false;
    }
    return true;
  }

  public BatchIr build() {
    BatchIr.Part[] parts = new BatchIr.Part[groups.length];
    for (int i = 0; i < groups.length; i++) {
      parts[i] = new BatchIr.Part(collapsed[i], hops[i]);
    }
    return new BatchIr(end, parts);
  }
}
