package dev.tessera.agg.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stream of events: a warehouse {@code table} for the batch side and a Kafka {@code topic} for
 * the stream side (required when the GroupBy is online), both carrying rows of {@code schema}.
 */
public record EventSource(String table, String topic, Map<String, DataType> schema, Query query) implements Source {

  public EventSource {
    schema = schema == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    Objects.requireNonNull(query, "query");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Fluent construction for definitions written in Java. */
  public static final class Builder {
    private String table;
    private String topic;
    private final Map<String, DataType> schema = new LinkedHashMap<>();
    private final Map<String, String> selects = new LinkedHashMap<>();
    private final java.util.List<String> wheres = new java.util.ArrayList<>();
    private String timeColumn;

    public Builder table(String table) {
      this.table = table;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder column(String name, DataType type) {
      schema.put(name, type);
      return this;
    }

    public Builder column(String name, String typeSpec) {
      return column(name, DataType.parse(typeSpec));
    }

    public Builder select(String column, String expression) {
      selects.put(column, expression);
      return this;
    }

    public Builder where(String expression) {
      wheres.add(expression);
      return this;
    }

    public Builder timeColumn(String timeColumn) {
      this.timeColumn = timeColumn;
      return this;
    }

    public EventSource build() {
      return new EventSource(table, topic, schema, new Query(selects, wheres, timeColumn));
    }
  }
}
