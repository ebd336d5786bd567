package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.TreeSet;

/**
 * BOUNDED_UNIQUE_COUNT: min(distinct values, k) with at most k values kept (the k smallest, so the
 * IR depends only on the set of values seen, not on their order); 0 for no events.
 */
final class BoundedUniqueCount implements Aggregator<Object, TreeSet<Object>, Long> {
  private final int k;

  BoundedUniqueCount(int k) {
    if (k < 1) throw new IllegalArgumentException("k must be >= 1");
    this.k = k;
  }

  @Override public TreeSet<Object> newIr() { return new TreeSet<>(Values::compare); }

  @Override
  public void update(TreeSet<Object> ir, Object input, long ts) {
    if (ir.size() < k) {
      ir.add(input);
    } else if (Values.compare(input, ir.last()) < 0 && ir.add(input)) {
      ir.pollLast();
    }
  }

  @Override
  public void merge(TreeSet<Object> into, TreeSet<Object> other) {
    for (Object v : other) update(into, v, 0);
  }

  @Override public Long finish(TreeSet<Object> ir) { return (long) ir.size(); }
  @Override public boolean isEmpty(TreeSet<Object> ir) { return ir.isEmpty(); }
  @Override public void clear(TreeSet<Object> ir) { ir.clear(); }
  @Override public TreeSet<Object> copy(TreeSet<Object> ir) { return new TreeSet<>(ir); }

  @Override
  public void write(TreeSet<Object> ir, ByteSink out) {
    out.writeVarInt(ir.size());
    for (Object v : ir) Values.write(v, out);
  }

  @Override
  public TreeSet<Object> read(ByteSource in) {
    int n = in.readCount(2);
    TreeSet<Object> ir = newIr();
    for (int i = 0; i < n; i++) ir.add(Values.read(in));
    return ir;
  }
}
