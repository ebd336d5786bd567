package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/**
 * FIRST and LAST by event time. Events with equal time are ordered by value (LAST takes the
 * greatest, FIRST the smallest), never by arrival, so batch and stream agree whatever order they
 * saw the events in.
 */
final class FirstLast implements Aggregator<Object, FirstLast.Ir, Object> {
  static final class Ir {
    long ts;
    Object value;
  }

  private final int sign;

  private FirstLast(int sign) {
    this.sign = sign;
  }

  static FirstLast first() {
    return new FirstLast(-1);
  }

  static FirstLast last() {
    return new FirstLast(1);
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Object input, long ts) {
    if (ir.value == null || sign * compare(ts, input, ir.ts, ir.value) > 0) {
      ir.ts = ts;
      ir.value = input;
    }
  }

  static int compare(long ts1, Object v1, long ts2, Object v2) {
    int c = Long.compare(ts1, ts2);
    return c != 0 ? c : Values.compare(v1, v2);
  }

  @Override
  public void merge(Ir into, Ir other) {
    if (other.value != null) update(into, other.value, other.ts);
  }

  @Override public Object finish(Ir ir) { return ir.value; }
  @Override public boolean isEmpty(Ir ir) { return ir.value == null; }
  @Override public void clear(Ir ir) { ir.value = null; }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.ts = ir.ts;
    c.value = ir.value;
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeLong(ir.ts);
    Values.write(ir.value, out);
  }

  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    long ts = in.readLong();
    Object v = Values.read(in);
    if (v != null) update(into, v, ts);
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.ts = in.readLong();
    ir.value = Values.read(in);
    return ir;
  }
}
