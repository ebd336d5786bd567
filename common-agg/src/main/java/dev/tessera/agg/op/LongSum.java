package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/** SUM of an integral column: exact, LONG result (wraps on overflow like Java's long); null for no events. */
final class LongSum implements Reversible<Long, LongSum.Ir, Long> {
  static final class Ir {
    long sum;
    long n;
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Long input, long ts) {
    ir.sum += input;
    ir.n++;
  }

  @Override
  public void retract(Ir ir, Long input, long ts) {
    ir.sum -= input;
    ir.n--;
  }

  @Override
  public void merge(Ir into, Ir other) {
    into.sum += other.sum;
    into.n += other.n;
  }

  @Override public Long finish(Ir ir) { return ir.n == 0 ? null : ir.sum; }
  @Override public boolean isEmpty(Ir ir) { return ir.n == 0; }

  @Override
  public void clear(Ir ir) {
    ir.sum = 0;
    ir.n = 0;
  }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.sum = ir.sum;
    c.n = ir.n;
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeVarLong(ir.n).writeVarLong(ir.sum);
  }

  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    into.n += in.readVarLong();
    into.sum += in.readVarLong();
  }

  @Override
  public void skipEncoded(ByteSource in) {
    in.readVarLong();
    in.readVarLong();
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.n = in.readVarLong();
    ir.sum = in.readVarLong();
    return ir;
  }
}
