package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/** COUNT: the number of non-null inputs; 0 for no events. */
final class Count implements Reversible<Object, Count.Ir, Long> {
  static final class Ir {
    long n;
  }

  @Override public Ir newIr() { return new Ir(); }
  @Override public void update(Ir ir, Object input, long ts) { ir.n++; }
  @Override public void retract(Ir ir, Object input, long ts) { ir.n--; }
  @Override public void merge(Ir into, Ir other) { into.n += other.n; }
  @Override public Long finish(Ir ir) { return ir.n; }
  @Override public boolean isEmpty(Ir ir) { return ir.n == 0; }
  @Override public void clear(Ir ir) { ir.n = 0; }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.n = ir.n;
    return c;
  }

  @Override public void write(Ir ir, ByteSink out) { out.writeVarLong(ir.n); }

  @Override public void mergeEncoded(Ir into, ByteSource in) { into.n += in.readVarLong(); }
  @Override public void skipEncoded(ByteSource in) { in.readVarLong(); }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.n = in.readVarLong();
    return ir;
  }
}
