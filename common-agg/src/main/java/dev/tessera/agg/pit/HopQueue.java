package dev.tessera.agg.pit;

import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import java.util.ArrayDeque;

/**
 * A FIFO of completed hop IRs with their combined aggregate in amortized O(1) merges per hop and
 * no inverse operation (the two-stack sliding-window aggregation): new hops go on the back stack,
 * whose running aggregate is kept; when the oldest hop must leave and the front stack is empty,
 * the back stack is flipped onto the front, each entry becoming the aggregate of itself and every
 * newer entry. Hop IRs are reused once they leave.
 */
final class HopQueue {
  private final RowAggregator agg;
  private final int[] cols;
  private long[] backStarts = new long[16];
  private RowIr[] back = new RowIr[16];
  private int backSize;
  private final RowIr backAgg;
  private long[] frontStarts = new long[16];
  private RowIr[] front = new RowIr[16];
  private int frontSize;
  private final ArrayDeque<RowIr> pool = new ArrayDeque<>();

  HopQueue(RowAggregator agg, int[] cols) {
    this.agg = agg;
    this.cols = cols;
    this.backAgg = agg.newIr();
  }

  /** A cleared IR to fill and hand back through {@link #push}. */
  RowIr borrow() {
    RowIr ir = pool.poll();
    return ir != null ? ir : agg.newIr();
  }

  void push(long start, RowIr hop) {
    if (backSize == back.length) {
      back = java.util.Arrays.copyOf(back, backSize * 2);
      backStarts = java.util.Arrays.copyOf(backStarts, backSize * 2);
    }
    back[backSize] = hop;
    backStarts[backSize] = start;
    backSize++;
    agg.merge(backAgg, hop, cols);
  }

  /** Drops every hop that starts before {@code windowStart}. */
  void evictBefore(long windowStart) {
    while (true) {
      if (frontSize == 0) {
        if (backSize == 0 || backStarts[0] >= windowStart) return;
        flip();
      }
      if (frontStarts[frontSize - 1] >= windowStart) return;
      frontSize--;
      RowIr gone = front[frontSize];
      front[frontSize] = null;
      agg.clear(gone, cols);
      pool.push(gone);
    }
  }

  private void flip() {
    if (front.length < backSize) {
      front = new RowIr[back.length];
      frontStarts = new long[back.length];
    }
    RowIr newer = null;
    for (int i = backSize - 1; i >= 0; i--) {
      RowIr ir = back[i];
      if (newer != null) agg.merge(ir, newer, cols);
      front[frontSize] = ir;
      frontStarts[frontSize] = backStarts[i];
      frontSize++;
      newer = ir;
      back[i] = null;
    }
    backSize = 0;
    agg.clear(backAgg, cols);
  }

  boolean isEmpty() {
    return frontSize == 0 && backSize == 0;
  }

  /** Merges the aggregate of every queued hop into {@code into}. */
  void mergeInto(RowIr into) {
    if (frontSize > 0) agg.merge(into, front[frontSize - 1], cols);
    if (backSize > 0) agg.merge(into, backAgg, cols);
  }

  void clear() {
    while (frontSize > 0) {
      RowIr ir = front[--frontSize];
      front[frontSize] = null;
      agg.clear(ir, cols);
      pool.push(ir);
    }
    for (int i = 0; i < backSize; i++) {
      agg.clear(back[i], cols);
      pool.push(back[i]);
      back[i] = null;
    }
    backSize = 0;
    agg.clear(backAgg, cols);
  }
}
