package dev.tessera.agg.join;

import dev.tessera.agg.definition.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows that get features: a warehouse table (a label or checkout table) or a Parquet dataset
 * (exactly one), its time column (epoch ms; features are as of this time, events strictly before
 * it) and its schema, in the document's column order.
 *
 * @param parquet a folder or glob of Parquet files ({@link dev.tessera.agg.definition.ParquetPath}), or null
 * @param topic the Kafka topic the table's rows arrive on, for a table an ingest job lands (labels,
 *     checkouts), or null for a table kept outside Tessera: an ingest may write a left table only
 *     from this topic, as a GroupBy's source table only from its source's topic
 */
public record LeftSource(String table, String timeColumn, Map<String, DataType> schema, String parquet, String topic) {
  public LeftSource {
    schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema == null ? Map.of() : schema));
  }

  /** A warehouse table kept outside Tessera. */
  public LeftSource(String table, String timeColumn, Map<String, DataType> schema) {
    this(table, timeColumn, schema, null, null);
  }

  /** A warehouse table or a Parquet dataset, no ingest topic. */
  public LeftSource(String table, String timeColumn, Map<String, DataType> schema, String parquet) {
    this(table, timeColumn, schema, parquet, null);
  }
}
