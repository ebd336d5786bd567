package dev.tessera.batch.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.OutputColumn;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a Join's derivations read, and rows of those values handed to {@link CompiledJoin#assemble}:
 * a row is {@code [row id, input 0, input 1...]}, the inputs being the request fields and features
 * some derivation names, in output order. The request fields are looked up by name in the row, each
 * part's features through a reusable view keyed by the GroupBy's own names (null for a part no
 * derivation reads: its features are not read at all). Not thread-safe: one per partition.
 */
final class DerivationInputs {
  private final CompiledJoin join;
  private final List<OutputColumn> columns;
  private final List<Map<String, ?>> partFeatures = new ArrayList<>();
  private final Function<String, Object> requestField;
  private Object[] current;

  DerivationInputs(CompiledJoin join) {
    this.join = join;
    Set<String> read = referenced(join);
    this.columns = join.outputColumns().stream().filter(c -> c.kind() != OutputColumn.Kind.DERIVED && read.contains(c.name())).toList();
    Map<String, Integer> slots = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) slots.put(columns.get(i).name(), 1 + i);
    this.requestField = name -> {
      Integer slot = slots.get(name);
      return slot == null ? null : current[slot];
    };
    for (CompiledPart p : join.parts()) {
      Map<String, Integer> mine = new HashMap<>();
      p.features().forEach(f -> {
        if (slots.containsKey(f.name())) mine.put(f.feature(), slots.get(f.name()));
      });
      partFeatures.add(mine.isEmpty() ? null : new FeatureView(mine));
    }
  }

  /** The inputs read, in output order (request fields and features). */
  List<OutputColumn> columns() {
    return columns;
  }

  /**
   * Row {@code r} through {@link CompiledJoin#assemble}, the one place the training set and the online
   * fetch build a Join row; the derived values end the filled {@code values}.
   *
   * @return how many derivations failed on the row
   */
  int assemble(Object[] r, Object[] values) {
    current = r;
    for (Map<String, ?> view : partFeatures) {
      if (view != null) ((FeatureView) view).row = r;
    }
    return join.assemble(values, requestField, partFeatures);
  }

  /** The request fields and features some derivation reads, as the type-checked expressions reference them. */
  static Set<String> referenced(CompiledJoin join) {
    Set<String> out = new HashSet<>();
    join.derivationInputs().values().forEach(out::addAll);
    return out;
  }

  /** A part's features of the current row by the GroupBy's feature names, over the row's array. */
  private static final class FeatureView extends AbstractMap<String, Object> {
    private final Map<String, Integer> slots;
    private Object[] row;

    FeatureView(Map<String, Integer> slots) {
      this.slots = Map.copyOf(slots);
    }

    @Override
    public Object get(Object name) {
      Integer slot = slots.get(name);
      return slot == null ? null : row[slot];
    }

    @Override
    public boolean containsKey(Object name) {
      return slots.containsKey(name);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      Map<String, Object> copy = new LinkedHashMap<>();
      slots.forEach((name, slot) -> copy.put(name, row[slot]));
      return copy.entrySet();
    }
  }
}
