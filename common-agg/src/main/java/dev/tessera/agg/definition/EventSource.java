package dev.tessera.agg.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stream of events: for the batch side a warehouse {@code table} or a {@code parquet} dataset
 * (exactly one; DESIGN.md "The GroupBy definition"), and a Kafka {@code topic} for the stream side
 * (required when the GroupBy is online), all carrying rows of {@code schema}.
 *
 * @param parquet a folder or glob of Parquet files ({@link ParquetPath}), or null for a table source
 */
public record EventSource(String table, String topic, Map<String, DataType> schema, Query query, String parquet)
    implements Source {

  public EventSource {
    schema = schema == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    Objects.requireNonNull(query, "query");
  }

  /** A warehouse table source. */
  public EventSource(String table, String topic, Map<String, DataType> schema, Query query) {
    this(table, topic, schema, query, null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Fluent construction for definitions written in Java. */
  public static final class Builder {
    private String table;
    private String parquet;
    private String topic;
    private final Map<String, DataType> schema = new LinkedHashMap<>();
    private final Map<String, String> selects = new LinkedHashMap<>();
    private final java.util.List<String> wheres = new java.util.ArrayList<>();
    private String timeColumn;

    public Builder table(String table) {
      this.table = table;
      return this;
    }

    /** A Parquet dataset instead of a table: a folder or a glob such as {@code /lake/purchases/ds=*}{@code /*.parquet}. */
    public Builder parquet(String parquet) {
      this.parquet = parquet;
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
      return new EventSource(table, topic, schema, new Query(selects, wheres, timeColumn), parquet);
    }
  }
}
