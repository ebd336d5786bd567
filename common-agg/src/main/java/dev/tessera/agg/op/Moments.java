package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/**
 * VARIANCE, STDDEV, SKEW and KURTOSIS share one IR: count, mean and the sums of the 2nd, 3rd and
 * 4th powers of deviations from the mean (M2, M3, M4), updated and merged with the stable one-pass
 * formulas of Welford, Chan et al. and Pébay. Raw power sums are never kept: with them equal
 * values leave a tiny non-zero M2 and a garbage SKEW (DESIGN.md). Population statistics:
 * VARIANCE = M2/n, SKEW = (M3/n) / (M2/n)^1.5, KURTOSIS = (M4/n) / (M2/n)^2 - 3; SKEW and KURTOSIS
 * are null when M2 is 0.
 */
final class Moments implements Aggregator<Number, Moments.Ir, Double> {

  enum Statistic { VARIANCE, STDDEV, SKEW, KURTOSIS }

  static final class Ir {
    long n;
    double mean;
    double m2;
    double m3;
    double m4;
  }

  private final Statistic statistic;

  Moments(Statistic statistic) {
    this.statistic = statistic;
  }

  @Override public Ir newIr() { return new Ir(); }

  @Override
  public void update(Ir ir, Number input, long ts) {
    double x = input.doubleValue();
    long n1 = ir.n;
    long n = n1 + 1;
    double delta = x - ir.mean;
    double deltaN = delta / n;
    double deltaN2 = deltaN * deltaN;
    double term1 = delta * deltaN * n1;
    ir.mean += deltaN;
    ir.m4 += term1 * deltaN2 * ((double) n * n - 3.0 * n + 3) + 6 * deltaN2 * ir.m2 - 4 * deltaN * ir.m3;
    ir.m3 += term1 * deltaN * (n - 2) - 3 * deltaN * ir.m2;
    ir.m2 += term1;
    ir.n = n;
  }

  @Override
  public void merge(Ir a, Ir b) {
    merge(a, b.n, b.mean, b.m2, b.m3, b.m4);
  }

  @Override
  public void mergeEncoded(Ir into, ByteSource in) {
    long n = in.readVarLong();
    double mean = in.readDouble();
    double m2 = in.readDouble();
    double m3 = in.readDouble();
    merge(into, n, mean, m2, m3, in.readDouble());
  }

  private static void merge(Ir a, long bn, double bMean, double bM2, double bM3, double bM4) {
    if (bn == 0) return;
    if (a.n == 0) {
      a.n = bn;
      a.mean = bMean;
      a.m2 = bM2;
      a.m3 = bM3;
      a.m4 = bM4;
      return;
    }
    double na = a.n;
    double nb = bn;
    double n = na + nb;
    double delta = bMean - a.mean;
    double delta2 = delta * delta;
    double delta3 = delta2 * delta;
    double delta4 = delta2 * delta2;
    double m4 = a.m4 + bM4
        + delta4 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
        + 6 * delta2 * (na * na * bM2 + nb * nb * a.m2) / (n * n)
        + 4 * delta * (na * bM3 - nb * a.m3) / n;
    double m3 = a.m3 + bM3
        + delta3 * na * nb * (na - nb) / (n * n)
        + 3 * delta * (na * bM2 - nb * a.m2) / n;
    double m2 = a.m2 + bM2 + delta2 * na * nb / n;
    a.mean += delta * (nb / n);
    a.m2 = m2;
    a.m3 = m3;
    a.m4 = m4;
    a.n += bn;
  }

  @Override
  public Double finish(Ir ir) {
    if (ir.n == 0) return null;
    double n = ir.n;
    double variance = ir.m2 / n;
    return switch (statistic) {
      case VARIANCE -> variance;
      case STDDEV -> Math.sqrt(variance);
      case SKEW -> ir.m2 == 0 ? null : (ir.m3 / n) / Math.pow(variance, 1.5);
      case KURTOSIS -> ir.m2 == 0 ? null : (ir.m4 / n) / (variance * variance) - 3.0;
    };
  }

  @Override public boolean isEmpty(Ir ir) { return ir.n == 0; }

  @Override
  public void clear(Ir ir) {
    ir.n = 0;
    ir.mean = ir.m2 = ir.m3 = ir.m4 = 0;
  }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    copyInto(c, ir);
    return c;
  }

  private static void copyInto(Ir to, Ir from) {
    to.n = from.n;
    to.mean = from.mean;
    to.m2 = from.m2;
    to.m3 = from.m3;
    to.m4 = from.m4;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeVarLong(ir.n).writeDouble(ir.mean).writeDouble(ir.m2).writeDouble(ir.m3).writeDouble(ir.m4);
  }

  @Override
  public void skipEncoded(ByteSource in) {
    in.readVarLong();
    in.skip(32);
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.n = in.readVarLong();
    ir.mean = in.readDouble();
    ir.m2 = in.readDouble();
    ir.m3 = in.readDouble();
    ir.m4 = in.readDouble();
    return ir;
  }
}
