package dev.tessera.batch.compute;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feature values in the form the warehouse columns take (see ColumnKind): scalars as they are, lists
 * and maps (bucketed features, *_K, HISTOGRAM, APPROX_PERCENTILE) as JSON text.
 */
public final class FeatureValues {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ColumnKind[] kinds;

  public FeatureValues(CompiledGroupBy groupBy) {
    this.kinds = groupBy.features().stream().map(f -> ColumnKind.of(f.type())).toArray(ColumnKind[]::new);
  }

  public static List<OutColumn> columns(CompiledGroupBy groupBy) {
    List<OutColumn> out = new ArrayList<>();
    for (Feature f : groupBy.features()) out.add(new OutColumn(f.name(), ColumnKind.of(f.type())));
    return out;
  }

  public static List<OutColumn> keyColumns(CompiledGroupBy groupBy) {
    List<OutColumn> out = new ArrayList<>();
    for (int i = 0; i < groupBy.keyNames().size(); i++) {
      out.add(new OutColumn(groupBy.keyNames().get(i), ColumnKind.of(groupBy.keyType(i))));
    }
    return out;
  }

  /** Copies {@code values} into {@code row} from {@code offset}, JSON-encoding lists and maps. */
  public void copyInto(Object[] values, Object[] row, int offset) {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      row[offset + i] = v != null && kinds[i] == ColumnKind.JSON ? JSON.writeValueAsString(v) : v;
    }
  }

  public int size() {
    return kinds.length;
  }
}
