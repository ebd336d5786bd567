package dev.tessera.batch.ingest;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Query;
import dev.tessera.agg.expr.CompiledSource;
import dev.tessera.agg.expr.SourceCompiler;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.TableName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ingest's fixed inputs: topic, table, the raw schema and time column. Events are coerced with
 * the same rules as the GroupBy sources (a source of this schema with no wheres and no selects),
 * so a value the batch side could not read is caught here and goes to the errors table instead.
 */
record IngestPlan(String topic, TableName table, Map<String, DataType> schema, String timeColumn, boolean continuous, IngestFormat format) {
  static final String FORMAT = "format";
  static final String TOPIC = "topic";
  static final String TABLE = "table";
  static final String SCHEMA = "schema";
  static final String TIME = "timeColumn";
  static final String MODE = "mode";
  static final String META_TOPIC = "_topic";
  static final String META_PARTITION = "_partition";
  static final String META_OFFSET = "_offset";
  /**
   * An event's Kafka record timestamp (the producer's create time or the broker's append time): when
   * it reached Kafka, which the consistency job compares with the time of a fetch (freshness).
   */
  public static final String META_TIMESTAMP = "_timestamp";
  /** The errors table's column with the acceptance reason ({@code non-finite}, ...) of a refused event. */
  static final String REFUSAL = "refusal";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static IngestPlan of(JobParameters p) {
    Map<String, String> raw = JSON.readValue(p.getString(SCHEMA), new TypeReference<LinkedHashMap<String, String>>() {});
    Map<String, DataType> schema = new LinkedHashMap<>();
    raw.forEach((k, v) -> schema.put(k, DataType.parse(v)));
    IngestFormat format = IngestFormat.parse(p.getString(FORMAT));
    return new IngestPlan(p.getString(TOPIC), TableName.parse(p.getString(TABLE)), schema, p.getString(TIME),
        "continuous".equals(p.getString(MODE)), format == null ? IngestFormat.EVENTS : format);
  }

  IngestPlan(String topic, TableName table, Map<String, DataType> schema, String timeColumn, boolean continuous) {
    this(topic, table, schema, timeColumn, continuous, IngestFormat.EVENTS);
  }

  /**
   * How record values become rows: the acceptance rule and the schema's coercion for events, the
   * fixed log columns otherwise.
   */
  ValueParser parser() {
    return format == IngestFormat.EVENTS ? new RecordParser(source(), List.copyOf(schema.values())) : new LogRecordParser(format);
  }

  /** Columns of a row before the Kafka metadata. */
  int width() {
    return format == IngestFormat.EVENTS ? schema.size() : format.columns().size();
  }

  static String schemaJson(Map<String, DataType> schema) {
    Map<String, String> out = new LinkedHashMap<>();
    schema.forEach((k, v) -> out.put(k, v.spec()));
    return JSON.writeValueAsString(out);
  }

  TableName errors() {
    return table.withSuffix("_errors");
  }

  /** The schema as a source with no wheres and no selects: coercion and the time column only. */
  CompiledSource source() {
    var compiled = SourceCompiler.compile(new EventSource(table.toString(), topic, schema, Query.allColumns(timeColumn)), "$");
    if (compiled.source() == null) throw new IllegalArgumentException("the ingest schema does not compile: " + compiled.problems());
    return compiled.source();
  }

  List<OutColumn> columns() {
    List<OutColumn> out = new ArrayList<>(format.columns());
    if (format == IngestFormat.EVENTS) schema.forEach((name, type) -> out.add(new OutColumn(name, ColumnKind.of(type))));
    withKafkaColumns(out);
    if (format == IngestFormat.EVENTS) out.add(timestampColumn());
    return out;
  }

  /** Landed after {@code _offset} in an events table (tables landed before it existed get it added). */
  static OutColumn timestampColumn() {
    return new OutColumn(META_TIMESTAMP, ColumnKind.BIGINT);
  }

  /** Whether the records may be Join rows, landed in {@link #joinTable()} (a feature log). */
  boolean hasJoinRows() {
    return !format.joinColumns().isEmpty();
  }

  /** Where a feature log's served Join rows land: beside the table, {@code <table>_joins}. */
  TableName joinTable() {
    return table.withSuffix(IngestFormat.JOIN_TABLE_SUFFIX);
  }

  List<OutColumn> joinColumns() {
    return withKafkaColumns(new ArrayList<>(format.joinColumns()));
  }

  /** Columns of a Join row before the Kafka metadata. */
  int joinWidth() {
    return format.joinColumns().size();
  }

  private static List<OutColumn> withKafkaColumns(List<OutColumn> out) {
    out.add(new OutColumn(META_TOPIC, ColumnKind.TEXT));
    out.add(new OutColumn(META_PARTITION, ColumnKind.INTEGER));
    out.add(new OutColumn(META_OFFSET, ColumnKind.BIGINT));
    return out;
  }

  static List<OutColumn> errorColumns() {
    return List.of(new OutColumn(META_TOPIC, ColumnKind.TEXT), new OutColumn(META_PARTITION, ColumnKind.INTEGER),
        new OutColumn(META_OFFSET, ColumnKind.BIGINT), new OutColumn("_timestamp", ColumnKind.BIGINT),
        new OutColumn("_key", ColumnKind.TEXT), new OutColumn("_value", ColumnKind.TEXT), new OutColumn("reason", ColumnKind.TEXT),
        refusalColumn());
  }

  /** Last column of the errors table (tables landed before it existed get it added). */
  static OutColumn refusalColumn() {
    return new OutColumn(REFUSAL, ColumnKind.TEXT);
  }
}
