package dev.tessera.agg.pit;

import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.window.Windows;
import java.util.List;

/**
 * The sweep for groups whose operations are all {@link dev.tessera.agg.op.Reversible} (COUNT,
 * SUM, AVG, HISTOGRAM): one IR holds exactly the window; a row is added when time passes it and
 * retracted when the window's (hop-aligned) start passes it. Two IR operations per row and none
 * per query, against a scratch merge of the hop queue per query for {@link HopSweep}.
 *
 * <p>Retraction is exact for counts and integral sums; floating sums and means drift by rounding
 * with every retraction. The IR is rebuilt from the rows still in the window whenever the
 * retractions since the last build outnumber them, so a value has gone through at most about
 * twice as many operations as if it were aggregated afresh (amortized cost: one update per
 * retraction), and is cleared whenever the window empties.
 */
final class RetractingSweep implements WindowSweep {
  private static final int MIN_RETRACTIONS_BEFORE_REBUILD = 32;

  private final RowAggregator agg;
  private final List<Feature> features;
  private final int[] cols;
  private final long window;
  private final RowIr ir;
  private List<Row> rows = List.of();
  /** Rows {@code [tail, head)} are in the IR. */
  private int tail;
  private int head;
  private int retractedSinceBuild;

  RetractingSweep(RowAggregator agg, WindowGroup group) {
    if (group.isLifetime()) throw new IllegalArgumentException("a lifetime group never retracts; use HopSweep");
    this.agg = agg;
    this.features = group.features();
    this.cols = group.columns();
    this.window = group.millis();
    this.ir = agg.newIr();
  }

  @Override
  public void reset(List<Row> rowsByTime) {
    agg.clear(ir, cols);
    rows = rowsByTime;
    tail = 0;
    head = 0;
    retractedSinceBuild = 0;
  }

  @Override
  public void add(Row row) {
    agg.update(ir, row, cols);
    head++;
  }

  @Override
  public void valuesAt(long t, Object[] values, int[] slots) {
    long start = Windows.windowStart(t, window);
    int retracted = 0;
    while (tail < head) {
      Row oldest = rows.get(tail);
      if (oldest.ts() >= start) break;
      agg.retract(ir, oldest, cols);
      tail++;
      retracted++;
    }
    if (retracted > 0) {
      retractedSinceBuild += retracted;
      if (tail == head) {
        agg.clear(ir, cols);
        retractedSinceBuild = 0;
      } else if (retractedSinceBuild >= Math.max(MIN_RETRACTIONS_BEFORE_REBUILD, head - tail)) {
        rebuild();
      }
    }
    for (int i = 0; i < slots.length; i++) {
      values[slots[i]] = agg.finish(ir, features.get(i).column());
    }
  }

  private void rebuild() {
    agg.clear(ir, cols);
    for (int i = tail; i < head; i++) agg.update(ir, rows.get(i), cols);
    retractedSinceBuild = 0;
  }
}
