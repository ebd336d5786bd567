package dev.tessera.agg.row;

/**
 * The partial aggregates of all aggregation columns of a GroupBy over some set of events (a tile,
 * a hop, a window). Each slot holds the typed IR of its column's aggregator, or null for "no
 * events yet". Only {@link RowAggregator} reads or writes the slots.
 */
public final class RowIr {
  final Object[] irs;

  RowIr(int columns) {
    irs = new Object[columns];
  }

  public int columns() {
    return irs.length;
  }
}
