package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/** MIN and MAX of numbers or strings; null for no events. */
final class Extreme implements Aggregator<Object, Extreme.Ir, Object> {
  static final class Ir {
    Object value;
  }

  private final int sign;

  private Extreme(int sign) {
    this.sign = sign;
  }

  static Extreme min() {
    return new Extreme(-1);
  }

  static Extreme max() {
    return new Extreme(1);
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Object input, long ts) {
    if (ir.value == null || sign * Values.compare(input, ir.value) > 0) {
      ir.value = input;
    }
  }

  @Override
  public void merge(Ir into, Ir other) {
    if (other.value != null) update(into, other.value, 0);
  }

  @Override public Object finish(Ir ir) { return ir.value; }
  @Override public boolean isEmpty(Ir ir) { return ir.value == null; }
  @Override public void clear(Ir ir) { ir.value = null; }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.value = ir.value;
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    Values.write(ir.value, out);
  }

  /** Numbers are compared unboxed: a tile's extreme seldom beats the running one, and then needs no object. */
  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    int tag = in.readByte();
    if (tag == Values.DOUBLE && (into.value == null || into.value instanceof Double)) {
      double d = in.readDouble();
      if (into.value == null || sign * Double.compare(d, (Double) into.value) > 0) into.value = d;
    } else if (tag == Values.LONG && (into.value == null || into.value instanceof Long)) {
      long l = in.readVarLong();
      if (into.value == null || sign * Long.compare(l, (Long) into.value) > 0) into.value = l;
    } else {
      Object v = Values.read(tag, in);
      if (v != null) update(into, v, 0);
    }
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.value = Values.read(in);
    return ir;
  }
}
