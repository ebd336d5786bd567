package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentItemsSketch;

/**
 * APPROX_HISTOGRAM_K on a DataSketches frequent-items sketch: the k most frequent values with their
 * estimated counts, most frequent first (ties by value); an empty map for no events. Counts are
 * exact while fewer than 0.75 * mapSize distinct values have been seen.
 */
final class ApproxHistogramK implements Aggregator<Object, ApproxHistogramK.Ir, Map<String, Long>> {
  private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

  static final class Ir {
    FrequentItemsSketch<String> sketch;
  }

  private final int k;
  private final int mapSize;

  ApproxHistogramK(int k) {
    this.k = k;
    // a power of two comfortably above k, so the top k stay exact for moderately skewed data
    this.mapSize = Math.max(64, Integer.highestOneBit(Math.max(1, k * 8) - 1) << 1);
  }

  @Override
  public Ir newIr() {
    Ir ir = new Ir();
    ir.sketch = new FrequentItemsSketch<>(mapSize);
    return ir;
  }

  @Override
  public void update(Ir ir, Object input, long ts) {
    ir.sketch.update(Values.key(input));
  }

  @Override
  public void merge(Ir into, Ir other) {
    if (!other.sketch.isEmpty()) into.sketch.merge(other.sketch);
  }

  @Override
  public Map<String, Long> finish(Ir ir) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (ir.sketch.isEmpty()) return out;
    var rows = ir.sketch.getFrequentItems(0L, ErrorType.NO_FALSE_NEGATIVES);
    Arrays.sort(rows, Comparator.<FrequentItemsSketch.Row<String>>comparingLong(r -> -r.getEstimate())
        .thenComparing(FrequentItemsSketch.Row::getItem));
    for (int i = 0; i < rows.length && i < k; i++) {
      out.put(rows[i].getItem(), rows[i].getEstimate());
    }
    return out;
  }

  @Override public boolean isEmpty(Ir ir) { return ir.sketch.isEmpty(); }
  @Override public void clear(Ir ir) { ir.sketch.reset(); }

  @Override
  public Ir copy(Ir ir) {
    Ir c = new Ir();
    c.sketch = FrequentItemsSketch.getInstance(MemorySegment.ofArray(ir.sketch.toByteArray(SERDE)), SERDE);
    return c;
  }

  @Override
  public void write(Ir ir, ByteSink out) {
    out.writeBytes(ir.sketch.toByteArray(SERDE));
  }

  @Override
  public Ir read(ByteSource in) {
    Ir ir = new Ir();
    ir.sketch = FrequentItemsSketch.getInstance(MemorySegment.ofArray(in.readBytes()), SERDE);
    return ir;
  }
}
