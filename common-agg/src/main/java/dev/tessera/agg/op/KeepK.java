package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * FIRST_K, LAST_K, TOP_K and BOTTOM_K: the k best entries under one order, duplicates kept.
 * LAST_K/FIRST_K order by (event time, value), so ties in time go by value and never by arrival;
 * TOP_K/BOTTOM_K order by value. Results: LAST_K newest first, FIRST_K oldest first, TOP_K
 * descending, BOTTOM_K ascending; null for no events.
 */
final class KeepK implements Aggregator<Object, KeepK.Ir, List<Object>> {

  /** Entries sorted ascending by (ts, value). */
  static final class Ir {
    long[] ts;
    Object[] values;
    int size;

    Ir(int capacity) {
      ts = new long[capacity];
      values = new Object[capacity];
    }
  }

  private final int k;
  private final boolean keepLargest;
  private final boolean byTime;

  private KeepK(int k, boolean keepLargest, boolean byTime) {
    if (k < 1) throw new IllegalArgumentException("k must be >= 1");
    this.k = k;
    this.keepLargest = keepLargest;
    this.byTime = byTime;
  }

  static KeepK lastK(int k) { return new KeepK(k, true, true); }
  static KeepK firstK(int k) { return new KeepK(k, false, true); }
  static KeepK topK(int k) { return new KeepK(k, true, false); }
  static KeepK bottomK(int k) { return new KeepK(k, false, false); }

  @Override public Ir newIr() { return new Ir(Math.min(k, 16)); }

  @Override
  public void update(Ir ir, Object input, long ts) {
    long t = byTime ? ts : 0L;
    if (ir.size < k) {
      insert(ir, t, input);
    } else if (keepLargest) {
      if (FirstLast.compare(t, input, ir.ts[0], ir.values[0]) > 0) {
        removeAt(ir, 0);
        insert(ir, t, input);
      }
    } else if (FirstLast.compare(t, input, ir.ts[ir.size - 1], ir.values[ir.size - 1]) < 0) {
      ir.size--;
      ir.values[ir.size] = null;
      insert(ir, t, input);
    }
  }

  private static void insert(Ir ir, long t, Object v) {
    int lo = 0;
    int hi = ir.size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (FirstLast.compare(ir.ts[mid], ir.values[mid], t, v) <= 0) lo = mid + 1;
      else hi = mid;
    }
    if (ir.size == ir.ts.length) {
      int cap = ir.ts.length * 2;
      ir.ts = Arrays.copyOf(ir.ts, cap);
      ir.values = Arrays.copyOf(ir.values, cap);
    }
    System.arraycopy(ir.ts, lo, ir.ts, lo + 1, ir.size - lo);
    System.arraycopy(ir.values, lo, ir.values, lo + 1, ir.size - lo);
    ir.ts[lo] = t;
    ir.values[lo] = v;
    ir.size++;
  }

  private static void removeAt(Ir ir, int i) {
    System.arraycopy(ir.ts, i + 1, ir.ts, i, ir.size - i - 1);
    System.arraycopy(ir.values, i + 1, ir.values, i, ir.size - i - 1);
    ir.size--;
    ir.values[ir.size] = null;
  }

  @Override
  public void merge(Ir into, Ir other) {
    for (int i = 0; i < other.size; i++) {
      update(into, other.values[i], other.ts[i]);
    }
  }

  @Override
  public List<Object> finish(Ir ir) {
    if (ir.size == 0) return null;
    List<Object> out = new ArrayList<>(ir.size);
    if (keepLargest) {
      for (int i = ir.size - 1; i >= 0; i--) out.add(ir.values[i]);
    } else {
      for (int i = 0; i < ir.size; i++) out.add(ir.values[i]);
    }
    return out;
  }

  @Override public boolean isEmpty(Ir ir) { return ir.size == 0; }

  @Override
  public void clear(Ir ir) {
    Arrays.fill(ir.values, 0, ir.size, null);
    ir.size = 0;
  }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir(Math.max(1, ir.ts.length));
    System.arraycopy(ir.ts, 0, c.ts, 0, ir.size);
    System.arraycopy(ir.values, 0, c.values, 0, ir.size);
    c.size = ir.size;
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeVarInt(ir.size);
    for (int i = 0; i < ir.size; i++) {
      if (byTime) out.writeLong(ir.ts[i]);
      Values.write(ir.values[i], out);
    }
  }

  @Override
  public Ir read(ByteSource in) {
    int n = in.readCount(2);
    Ir ir = new Ir(Math.max(1, Math.min(k, Math.max(n, 16))));
    for (int i = 0; i < n; i++) {
      long t = byTime ? in.readLong() : 0L;
      Object v = Values.read(in);
      if (ir.size == ir.ts.length) {
        ir.ts = Arrays.copyOf(ir.ts, ir.size * 2);
        ir.values = Arrays.copyOf(ir.values, ir.size * 2);
      }
      ir.ts[ir.size] = t;
      ir.values[ir.size] = v;
      ir.size++;
    }
    return ir;
  }
}
