package dev.tessera.agg.join;

import dev.tessera.agg.compile.CompiledGroupBy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A part of a compiled Join: the GroupBy version it reads, the left columns that make its entity
 * key (in the GroupBy's key order) and its output columns (in the GroupBy's feature order).
 */
public record CompiledPart(int index, JoinPart part, int groupByVersion, CompiledGroupBy groupBy,
    List<String> leftKeyColumns, List<OutputColumn> features) {

  public CompiledPart {
    leftKeyColumns = List.copyOf(leftKeyColumns);
    features = List.copyOf(features);
  }

  /** The name this part goes by in responses and logs: its prefix, or its GroupBy's name. */
  public String name() {
    return part.outputPrefix();
  }

  /**
   * The part's entity key for a left row, in the GroupBy's key order, or null when a mapped left
   * column is null: an unknown entity, whose features are all null (counts included).
   */
  public List<Object> keyOf(Function<String, Object> leftColumn) {
    List<Object> key = new ArrayList<>(leftKeyColumns.size());
    for (String column : leftKeyColumns) {
      Object v = leftColumn.apply(column);
      if (v == null) return null;
      key.add(v);
    }
    return key;
  }
}
