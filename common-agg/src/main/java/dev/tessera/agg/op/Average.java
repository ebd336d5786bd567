package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/**
 * AVG: count and running mean (Welford), merged with Chan's formula; DOUBLE result, null for no
 * events. A mean rather than a raw sum keeps the IR well-scaled however many events it holds.
 */
final class Average implements Reversible<Number, Average.Ir, Double> {
  static final class Ir {
    long n;
    double mean;
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Number input, long ts) {
    ir.n++;
    ir.mean += (input.doubleValue() - ir.mean) / ir.n;
  }

  @Override
  public void retract(Ir ir, Number input, long ts) {
    if (ir.n <= 1) {
      ir.n = 0;
      ir.mean = 0;
      return;
    }
    ir.n--;
    ir.mean -= (input.doubleValue() - ir.mean) / ir.n;
  }

  @Override
  public void merge(Ir into, Ir other) {
    merge(into, other.n, other.mean);
  }

  private static void merge(Ir into, long otherN, double otherMean) {
    if (otherN == 0) return;
    if (into.n == 0) {
      into.n = otherN;
      into.mean = otherMean;
      return;
    }
    long n = into.n + otherN;
    into.mean += (otherMean - into.mean) * ((double) otherN / n);
    into.n = n;
  }

  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    long n = in.readVarLong();
    merge(into, n, in.readDouble());
  }

  @Override
  public void skipEncoded(ByteSource in) {
    in.readVarLong();
    in.skip(8);
  }

  @Override public Double finish(Ir ir) { return ir.n == 0 ? null : ir.mean; }
  @Override public boolean isEmpty(Ir ir) { return ir.n == 0; }

  @Override
  public void clear(Ir ir) {
    ir.n = 0;
    ir.mean = 0;
  }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.n = ir.n;
    c.mean = ir.mean;
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeVarLong(ir.n).writeDouble(ir.mean);
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.n = in.readVarLong();
    ir.mean = in.readDouble();
    return ir;
  }
}
