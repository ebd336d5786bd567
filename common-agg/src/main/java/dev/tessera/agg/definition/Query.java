package dev.tessera.agg.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The projection of a source: CEL {@code selects} (output column -> expression; empty means all
 * schema columns as they are), CEL {@code wheres} (all must hold) and the event time column
 * (epoch milliseconds, UTC).
 */
public record Query(Map<String, String> selects, List<String> wheres, String timeColumn) {

  public Query {
    selects = selects == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(selects));
    wheres = List.copyOf(wheres == null ? List.of() : wheres);
  }

  public static Query allColumns(String timeColumn) {
    return new Query(Map.of(), List.of(), timeColumn);
  }
}
