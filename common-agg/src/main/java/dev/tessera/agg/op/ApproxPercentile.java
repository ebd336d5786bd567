package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * APPROX_PERCENTILE on a DataSketches KLL sketch: the values at the requested percentiles (normalized
 * rank error about 1.65% at the default k 200); null for no events. Up to k values the sketch is
 * exact and independent of order; beyond that KLL compacts at random, so two pipelines agree within
 * the rank error rather than bit for bit.
 */
final class ApproxPercentile implements Aggregator<Number, ApproxPercentile.Ir, List<Double>> {
  static final class Ir {
    KllDoublesSketch sketch;
  }

  private final int k;
  private final double[] percentiles;

  ApproxPercentile(int k, double[] percentiles) {
    this.k = k;
    this.percentiles = percentiles.clone();
  }

  @Override
  public Ir newIr() {
    Ir ir = new Ir();
    ir.sketch = KllDoublesSketch.newHeapInstance(k);
    return ir;
  }

  @Override
  public void update(Ir ir, Number input, long ts) {
    double v = input.doubleValue();
    if (!Double.isNaN(v)) ir.sketch.update(v);
  }

  @Override
  public void merge(Ir into, Ir other) {
    if (!other.sketch.isEmpty()) into.sketch.merge(other.sketch);
  }

  @Override
  public List<Double> finish(Ir ir) {
    if (ir.sketch.isEmpty()) return null;
    double[] q = ir.sketch.getQuantiles(percentiles, QuantileSearchCriteria.INCLUSIVE);
    List<Double> out = new ArrayList<>(q.length);
    for (double d : q) out.add(d);
    return out;
  }

  @Override public boolean isEmpty(Ir ir) { return ir.sketch.isEmpty(); }
  @Override public void clear(Ir ir) { ir.sketch = KllDoublesSketch.newHeapInstance(k); }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.sketch = KllDoublesSketch.heapify(MemorySegment.ofArray(ir.sketch.toByteArray()));
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeBytes(ir.sketch.toByteArray());
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.sketch = KllDoublesSketch.heapify(MemorySegment.ofArray(in.readBytes()));
    return ir;
  }
}
