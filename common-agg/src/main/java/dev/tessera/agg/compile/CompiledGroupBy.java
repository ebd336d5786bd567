package dev.tessera.agg.compile;

import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Window;
import dev.tessera.agg.expr.CompiledSource;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid GroupBy, compiled: its sources' CEL, the row schema they produce, the IR columns, the
 * output features and the window groups. Immutable and thread-safe; everything downstream (tiles,
 * batch IRs, point-in-time, codecs) works from one of these.
 */
public final class CompiledGroupBy {
  private final GroupBy definition;
  private final List<CompiledSource> sources;
  private final RowSchema schema;
  private final int[] keyColumns;
  private final RowAggregator aggregator;
  private final List<Feature> features;
  private final List<WindowGroup> windowGroups;
  private final long tileSize;

  CompiledGroupBy(GroupBy definition, List<CompiledSource> sources, RowSchema schema, int[] keyColumns,
      RowAggregator aggregator, List<Feature> features, List<WindowGroup> windowGroups, long tileSize) {
    this.definition = definition;
    this.sources = List.copyOf(sources);
    this.schema = schema;
    this.keyColumns = keyColumns;
    this.aggregator = aggregator;
    this.features = List.copyOf(features);
    this.windowGroups = List.copyOf(windowGroups);
    this.tileSize = tileSize;
  }

  public GroupBy definition() { return definition; }
  public String name() { return definition.name(); }
  public List<CompiledSource> sources() { return sources; }
  /** Columns of the rows every source produces. */
  public RowSchema schema() { return schema; }
  public RowAggregator aggregator() { return aggregator; }
  /** Output features in definition order. */
  public List<Feature> features() { return features; }
  public List<WindowGroup> windowGroups() { return windowGroups; }
  public long tileSize() { return tileSize; }

  public List<String> keyNames() {
    return definition.keys();
  }

  public int[] keyColumns() {
    return keyColumns.clone();
  }

  public DataType keyType(int i) {
    return schema.type(keyColumns[i]);
  }

  /** The key values of a row, in key order; null if any key is null (such a row is rejected). */
  public List<Object> keyOf(Row row) {
    List<Object> key = new ArrayList<>(keyColumns.length);
    for (int c : keyColumns) {
      Object v = row.get(c);
      if (v == null) return null;
      key.add(v);
    }
    return key;
  }

  /** Feature name -> type, in order: what a fetch or a backfill row holds. */
  public Map<String, DataType> featureTypes() {
    Map<String, DataType> m = new LinkedHashMap<>();
    features.forEach(f -> m.put(f.name(), f.type()));
    return m;
  }

  /** Hop of every distinct window spec, for display: {@code {1h: 5m, 7d: 1h}}. */
  public Map<String, Long> hops() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (var a : definition.aggregations()) {
      for (Window w : a.windows()) m.put(w.spec(), dev.tessera.agg.window.Windows.hop(w));
    }
    return m;
  }

  /**
   * Applies the source at {@code sourceIndex} to a raw event and, if it is accepted, checks its
   * keys. The one entry point both pipelines use to turn events into rows.
   */
  public SourceResult apply(int sourceIndex, Map<String, ?> event) {
    return checkKeys(sources.get(sourceIndex).apply(event));
  }

  public SourceResult apply(int sourceIndex, Object[] raw) {
    return checkKeys(sources.get(sourceIndex).apply(raw));
  }

  private SourceResult checkKeys(SourceResult r) {
    if (r instanceof SourceResult.Accepted a) {
      for (int i = 0; i < keyColumns.length; i++) {
        if (a.row().get(keyColumns[i]) == null) {
          return new SourceResult.Rejected("key '" + definition.keys().get(i) + "' is null", Refusal.NULL_KEY);
        }
      }
    }
    return r;
  }
}
