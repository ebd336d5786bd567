package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An aggregation split by the value of a bucket column ({@code buckets: [merchant]}): one IR per
 * bucket value, finished into a map from bucket value to result; an empty map for no events.
 */
public final class Bucketed<I, IR, O> implements Aggregator<Bucketed.Keyed<I>, HashMap<String, IR>, Map<String, O>> {

  /** An input value together with the value of its bucket column. */
  public record Keyed<I>(String bucket, I value) {}

  private final Aggregator<I, IR, O> inner;

  public Bucketed(Aggregator<I, IR, O> inner) {
    this.inner = inner;
  }

  @Override public HashMap<String, IR> newIr() { return new HashMap<>(); }

  @Override
  public void update(HashMap<String, IR> ir, Keyed<I> input, long ts) {
    inner.update(ir.computeIfAbsent(input.bucket(), b -> inner.newIr()), input.value(), ts);
  }

  @Override
  public void merge(HashMap<String, IR> into, HashMap<String, IR> other) {
    other.forEach((bucket, o) -> {
      IR mine = into.get(bucket);
      if (mine == null) into.put(bucket, inner.copy(o));
      else inner.merge(mine, o);
    });
  }

  @Override
  public Map<String, O> finish(HashMap<String, IR> ir) {
    Map<String, O> out = new TreeMap<>();
    ir.forEach((bucket, i) -> out.put(bucket, inner.finish(i)));
    return out;
  }

  @Override public boolean isEmpty(HashMap<String, IR> ir) { return ir.isEmpty(); }
  @Override public void clear(HashMap<String, IR> ir) { ir.clear(); }

  @Override
  public HashMap<String, IR> copy(HashMap<String, IR> ir) {
    HashMap<String, IR> c = HashMap.newHashMap(ir.size());
    ir.forEach((b, i) -> c.put(b, inner.copy(i)));
    return c;
  }

  @Override
  public void write(HashMap<String, IR> ir, ByteSink out) {
    TreeMap<String, IR> sorted = new TreeMap<>(ir);
    out.writeVarInt(sorted.size());
    sorted.forEach((b, i) -> {
      out.writeString(b);
      inner.write(i, out);
    });
  }

  @Override
  public HashMap<String, IR> read(ByteSource in) {
    int n = in.readCount(2);
    HashMap<String, IR> ir = HashMap.newHashMap(n);
    for (int i = 0; i < n; i++) {
      String b = in.readString();
      ir.put(b, inner.read(in));
    }
    return ir;
  }
}
