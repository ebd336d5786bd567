package dev.tessera.agg.row;

import java.util.Arrays;

/**
 * One event after a source's wheres and selects: its event time (epoch millis) and its values in
 * the order of the GroupBy's {@link RowSchema}. Values are Long, Double, String, Boolean, List or
 * Map, or null.
 */
public final class Row {
  private final long ts;
  private final Object[] values;

  public Row(long ts, Object[] values) {
    this.ts = ts;
    this.values = values;
  }

  public long ts() {
    return ts;
  }

  public Object get(int column) {
    return values[column];
  }

  public int size() {
    return values.length;
  }

  public Object[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && ts == r.ts && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(ts) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Row{ts=" + ts + ", " + Arrays.toString(values) + "}";
  }
}
