package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** UNIQUE_COUNT: exact number of distinct values; 0 for no events. Encoded sorted, so equal sets give equal bytes. */
final class UniqueCount implements Aggregator<Object, HashSet<Object>, Long> {

  @Override public HashSet<Object> newIr() { return new HashSet<>(); }
  @Override public void update(HashSet<Object> ir, Object input, long ts) { ir.add(input); }
  @Override public void merge(HashSet<Object> into, HashSet<Object> other) { into.addAll(other); }
  @Override public Long finish(HashSet<Object> ir) { return (long) ir.size(); }
  @Override public boolean isEmpty(HashSet<Object> ir) { return ir.isEmpty(); }
  @Override public void clear(HashSet<Object> ir) { ir.clear(); }
  @Override public HashSet<Object> copy(HashSet<Object> ir) { return new HashSet<>(ir); }

  @Override
  public void write(HashSet<Object> ir, ByteSink out) {
    List<Object> sorted = new ArrayList<>(ir);
    sorted.sort(Values::compare);
    out.writeVarInt(sorted.size());
    for (Object v : sorted) Values.write(v, out);
  }

  @Override
  public HashSet<Object> read(ByteSource in) {
    int n = in.readCount(2);
    HashSet<Object> ir = HashSet.newHashSet(n);
    for (int i = 0; i < n; i++) ir.add(Values.read(in));
    return ir;
  }
}
