package dev.tessera.agg.row;

import dev.tessera.agg.definition.Aggregation;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.op.Aggregator;
import dev.tessera.agg.op.Bucketed;
import dev.tessera.agg.op.Values;

/**
 * One IR column of a GroupBy: an aggregation, or one bucketed variant of it. Windows do not
 * multiply columns: every window of an aggregation is computed from the same column by choosing
 * which tiles and hops to merge.
 */
public final class AggColumn {
  private final int index;
  private final int aggregationIndex;
  private final Aggregation aggregation;
  private final String bucket;
  private final int inputIndex;
  private final int bucketIndex;
  private final DataType inputType;
  private final DataType outputType;
  private final Aggregator<Object, Object, Object> aggregator;

  @SuppressWarnings("unchecked")
  public AggColumn(int index, int aggregationIndex, Aggregation aggregation, String bucket, int inputIndex,
      int bucketIndex, DataType inputType, DataType outputType, Aggregator<?, ?, ?> aggregator) {
    this.index = index;
    this.aggregationIndex = aggregationIndex;
    this.aggregation = aggregation;
    this.bucket = bucket;
    this.inputIndex = inputIndex;
    this.bucketIndex = bucketIndex;
    this.inputType = inputType;
    this.outputType = outputType;
    this.aggregator = (Aggregator<Object, Object, Object>) (bucket == null ? aggregator : new Bucketed<>(aggregator));
  }

  public int index() { return index; }
  public int aggregationIndex() { return aggregationIndex; }
  public Aggregation aggregation() { return aggregation; }
  /** The bucket column, or null when not bucketed. */
  public String bucket() { return bucket; }
  public int inputIndex() { return inputIndex; }
  public DataType inputType() { return inputType; }
  /** Type of one finished value (per bucket when bucketed). */
  public DataType outputType() { return outputType; }

  Aggregator<Object, Object, Object> aggregator() {
    return aggregator;
  }

  /** The value this column takes from a row, or null when the row does not count for it (DESIGN.md "Nulls"). */
  Object input(Row row) {
    Object v = row.get(inputIndex);
    if (v == null || bucketIndex < 0) return v;
    Object b = row.get(bucketIndex);
    return b == null ? null : new Bucketed.Keyed<>(Values.key(b), v);
  }

  /** A stable description of what the bytes of this column's IR mean, for the layout fingerprint. */
  String layoutSignature() {
    return aggregation.operation() + "(" + inputType.spec() + ")" + (bucket == null ? "" : "/bucket") + aggregation.args();
  }
}
