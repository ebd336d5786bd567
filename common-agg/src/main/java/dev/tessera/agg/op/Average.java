package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/**
 * AVG: count and running mean (Welford), merged with Chan's formula; DOUBLE result, null for no
 * events. A mean rather than a raw sum keeps the IR well-scaled, makes the mean of equal values
 * exact, and makes decode-update-encode (what the stream does per event) give the same bytes as
 * aggregating in memory.
 *
 * <p>The IR also carries a Neumaier compensated sum, used once a value has been retracted: a
 * running mean loses the small values next to a huge one for good, so retracting the huge one
 * (the point-in-time sweep does) would leave that loss in the mean; the compensated sum keeps
 * them. The wire form (count, mean) is unchanged.
 */
final class Average implements Reversible<Number, Average.Ir, Double> {
  static final class Ir {
    long n;
    double mean;
    /** Set by a retraction: the mean is then taken from {@link #total}. */
    boolean retracted;
    final DoubleSum.Ir total = new DoubleSum.Ir();
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Number input, long ts) {
    double x = input.doubleValue();
    ir.n++;
    ir.mean += (x - ir.mean) / ir.n;
    ir.total.add(x);
  }

  @Override
  public void retract(Ir ir, Number input, long ts) {
    if (ir.n <= 1) {
      clear(ir);
      return;
    }
    ir.n--;
    ir.total.add(-input.doubleValue());
    ir.retracted = true;
    ir.mean = sumMean(ir);
  }

  @Override
  public void merge(Ir into, Ir other) {
    merge(into, other.n, other.mean);
    into.total.add(other.total.sum);
    into.total.add(other.total.compensation);
    if (other.retracted) {
      into.retracted = true;
      into.mean = sumMean(into);
    }
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

  /**
   * The compensated sum over n, rounded once: the quotient of the leading part corrected by its
   * exact remainder (an FMA) plus the compensation.
   */
  private static double sumMean(Ir ir) {
    double n = ir.n;
    double q = ir.total.sum / n;
    return q + (Math.fma(-q, n, ir.total.sum) + ir.total.compensation) / n;
  }

  /** Adds {@code mean * n} to the compensated sum exactly (product plus its rounding error). */
  private static void addProduct(DoubleSum.Ir total, double mean, long n) {
    double p = mean * n;
    total.add(p);
    total.add(Math.fma(mean, (double) n, -p));
  }

  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    long n = in.readVarLong();
    double mean = in.readDouble();
    if (n == 0) return;
    merge(into, n, mean);
    addProduct(into.total, mean, n);
    if (into.retracted) into.mean = sumMean(into);
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
    ir.retracted = false;
    ir.total.sum = 0;
    ir.total.compensation = 0;
  }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.n = ir.n;
    c.mean = ir.mean;
    c.retracted = ir.retracted;
    c.total.sum = ir.total.sum;
    c.total.compensation = ir.total.compensation;
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
    if (ir.n > 0) addProduct(ir.total, ir.mean, ir.n);
    return ir;
  }
}
