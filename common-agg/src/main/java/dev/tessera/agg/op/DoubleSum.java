package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/**
 * SUM of a floating column, DOUBLE result, null for no events. Kept as a Neumaier compensated sum
 * so that the result hardly depends on the order of additions: batch and stream add the same
 * values in different orders (per hop, per tile) and must agree within 1e-9 relative.
 */
final class DoubleSum implements Reversible<Double, DoubleSum.Ir, Double> {
  static final class Ir {
    double sum;
    double compensation;
    long n;

    void add(double x) {
      double t = sum + x;
      if (Math.abs(sum) >= Math.abs(x)) {
        compensation += (sum - t) + x;
      } else {
        compensation += (x - t) + sum;
      }
      sum = t;
    }
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Double input, long ts) {
    ir.add(input);
    ir.n++;
  }

  @Override
  public void retract(Ir ir, Double input, long ts) {
    ir.add(-input);
    ir.n--;
  }

  @Override
  public void merge(Ir into, Ir other) {
    into.add(other.sum);
    into.add(other.compensation);
    into.n += other.n;
  }

  @Override public Double finish(Ir ir) { return ir.n == 0 ? null : ir.sum + ir.compensation; }
  @Override public boolean isEmpty(Ir ir) { return ir.n == 0; }

  @Override
  public void clear(Ir ir) {
    ir.sum = 0;
    ir.compensation = 0;
    ir.n = 0;
  }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.sum = ir.sum;
    c.compensation = ir.compensation;
    c.n = ir.n;
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeVarLong(ir.n).writeDouble(ir.sum).writeDouble(ir.compensation);
  }

  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    into.n += in.readVarLong();
    into.add(in.readDouble());
    into.add(in.readDouble());
  }

  @Override
  public void skipEncoded(ByteSource in) {
    in.readVarLong();
    in.skip(16);
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.n = in.readVarLong();
    ir.sum = in.readDouble();
    ir.compensation = in.readDouble();
    return ir;
  }
}
