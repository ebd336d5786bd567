package dev.tessera.agg.join;

import dev.tessera.agg.definition.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows that get features: a warehouse table (a label or checkout table), its time column
 * (epoch ms; features are as of this time, events strictly before it) and its schema, in the
 * document's column order.
 */
public record LeftSource(String table, String timeColumn, Map<String, DataType> schema) {
  public LeftSource {
    schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema == null ? Map.of() : schema));
  }
}
