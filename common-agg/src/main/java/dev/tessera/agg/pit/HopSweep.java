package dev.tessera.agg.pit;

import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.window.Windows;
import java.util.List;

/**
 * The general sweep, for any operation: the current hop is aggregated row by row (the exact head)
 * and completed hops sit in a {@link HopQueue} that slides the tail. Lifetime groups only have the
 * head.
 */
final class HopSweep implements WindowSweep {
  private final RowAggregator agg;
  private final List<Feature> features;
  private final int[] cols;
  private final long window;
  private final long hop;
  private final boolean lifetime;
  private final HopQueue queue;
  private final RowIr scratch;
  private RowIr current;
  private long currentStart;
  private boolean currentHasRows;

  HopSweep(RowAggregator agg, WindowGroup group, RowIr scratch) {
    this.agg = agg;
    this.features = group.features();
    this.cols = group.columns();
    this.window = group.millis();
    this.lifetime = group.isLifetime();
    this.hop = Windows.hop(window);
    this.queue = lifetime ? null : new HopQueue(agg, cols);
    this.scratch = scratch;
    this.current = agg.newIr();
  }

  @Override
  public void reset(List<Row> rowsByTime) {
    if (queue != null) queue.clear();
    agg.clear(current, cols);
    currentStart = Long.MIN_VALUE;
    currentHasRows = false;
  }

  @Override
  public void add(Row row) {
    if (!lifetime) roll(Windows.floor(row.ts(), hop));
    agg.update(current, row, cols);
    currentHasRows = true;
  }

  /** Moves the current hop to the queue when time reaches a later hop. */
  private void roll(long hopStart) {
    if (hopStart == currentStart) return;
    if (currentHasRows) {
      queue.push(currentStart, current);
      current = queue.borrow();
      currentHasRows = false;
    }
    currentStart = hopStart;
  }

  @Override
  public void valuesAt(long t, Object[] values, int[] slots) {
    RowIr result = current;
    if (!lifetime) {
      roll(Windows.floor(t, hop));
      queue.evictBefore(Windows.windowStart(t, window));
      if (!queue.isEmpty()) {
        agg.clear(scratch, cols);
        queue.mergeInto(scratch);
        agg.merge(scratch, current, cols);
        result = scratch;
      }
    }
    for (int i = 0; i < slots.length; i++) {
      values[slots[i]] = agg.finish(result, features.get(i).column());
    }
  }
}
