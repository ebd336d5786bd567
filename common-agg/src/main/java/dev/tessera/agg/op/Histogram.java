package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** HISTOGRAM: exact count per value (keys as strings, as JSON needs); an empty map for no events. */
final class Histogram implements Reversible<Object, HashMap<String, long[]>, Map<String, Long>> {

  @Override public HashMap<String, long[]> newIr() { return new HashMap<>(); }

  @Override
  public void update(HashMap<String, long[]> ir, Object input, long ts) {
    ir.computeIfAbsent(Values.key(input), x -> new long[1])[0]++;
  }

  @Override
  public void retract(HashMap<String, long[]> ir, Object input, long ts) {
    String key = Values.key(input);
    long[] c = ir.get(key);
    if (c != null && --c[0] <= 0) ir.remove(key);
  }

  @Override
  public void merge(HashMap<String, long[]> into, HashMap<String, long[]> other) {
    other.forEach((k, c) -> into.computeIfAbsent(k, x -> new long[1])[0] += c[0]);
  }

  @Override
  public Map<String, Long> finish(HashMap<String, long[]> ir) {
    Map<String, Long> out = new TreeMap<>();
    ir.forEach((k, c) -> out.put(k, c[0]));
    return out;
  }

  @Override public boolean isEmpty(HashMap<String, long[]> ir) { return ir.isEmpty(); }
  @Override public void clear(HashMap<String, long[]> ir) { ir.clear(); }

  @Override
  public HashMap<String, long[]> copy(HashMap<String, long[]> ir) {
    HashMap<String, long[]> c = HashMap.newHashMap(ir.size());
    ir.forEach((k, v) -> c.put(k, new long[] {v[0]}));
    return c;
  }

  @Override
  public void write(HashMap<String, long[]> ir, ByteSink out) {
    TreeMap<String, long[]> sorted = new TreeMap<>(ir);
    out.writeVarInt(sorted.size());
    sorted.forEach((k, c) -> out.writeString(k).writeVarLong(c[0]));
  }

  @Override
  public HashMap<String, long[]> read(ByteSource in) {
    int n = in.readCount(2);
    HashMap<String, long[]> ir = HashMap.newHashMap(n);
    for (int i = 0; i < n; i++) {
      String k = in.readString();
      ir.put(k, new long[] {in.readVarLong()});
    }
    return ir;
  }
}
