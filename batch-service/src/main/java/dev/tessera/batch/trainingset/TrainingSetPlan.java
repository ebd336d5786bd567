package dev.tessera.batch.trainingset;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.row.RowSchema;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.jobs.JobGroupBy;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A training set job's fixed inputs. The left table is first copied with a row id and its time in
 * epoch millis ({@link #numbered()}); partitions compute features per row id into
 * {@link #features()}; the finish step joins them back to every left column into the output.
 */
record TrainingSetPlan(PublishedGroupBy published, CompiledGroupBy groupBy, Relation left, List<String> leftKeys, String timeColumn,
    boolean timestamp, boolean byRowId, boolean direct, TableName output, List<SourcePlan> sources, String parquetPath, String parquetDataset,
    long jobId) {
  /** The left table's name, or {@code parquet:<path>} for a Parquet dataset ({@link Relation#recorded()}). */
  static final String LEFT = "leftTable";
  /** The left table's key columns as the warehouse spells them, comma-separated, in key order. */
  static final String LEFT_KEYS = "leftKeyColumns";
  static final String TIME = "timeColumn";
  static final String TIME_IS_TIMESTAMP = "timeIsTimestamp";
  /** "rowid": a DuckDB base table, addressed by its rowid while the job runs; "copy": copied with a row id first (views, PostgreSQL, datasets). */
  static final String LEFT_MODE = "leftMode";
  /**
   * "direct": the left table is the GroupBy's source and holds only its schema's columns, of plain
   * types; partitions write the output themselves, left columns and features, with no join at the
   * end. "join": partitions write features per row id, joined back to the left table at the end.
   */
  static final String OUTPUT_MODE = "outputMode";
  static final String OUTPUT = "outputTable";
  static final String PARQUET = "parquetPath";
  static final String PARQUET_DATASET = "parquetDataset";
  /** The row id and epoch-millis time columns of the numbered copy (names no user table uses). */
  static final String RID = "__tessera_rid";
  static final String TS = "__tessera_ts";
  /** Job context: the left rows' time range and counts, measured by the prepare step. */
  static final String LEFT_STATS = "tessera.left";

  static TrainingSetPlan of(JobExecution execution) {
    PublishedGroupBy published = JobGroupBy.published(execution);
    CompiledGroupBy g = GroupByCompiler.compile(published.definition()).orThrow();
    JobParameters p = execution.getJobParameters();
    return new TrainingSetPlan(published, g, Relation.parse(p.getString(LEFT)), List.of(p.getString(LEFT_KEYS).split(",")),
        p.getString(TIME),
        Boolean.parseBoolean(p.getString(TIME_IS_TIMESTAMP)), "rowid".equals(p.getString(LEFT_MODE)), "direct".equals(p.getString(OUTPUT_MODE)),
        TableName.parse(p.getString(OUTPUT)),
        SourcePlan.of(g),
        p.getString(PARQUET), p.getString(PARQUET_DATASET), execution.getJobInstanceId());
  }

  /**
   * The left rows with a row id and their time in epoch millis, as a relation to select from: the
   * DuckDB base table itself addressed by {@code rowid} (no copy: the job checks that it did not
   * change), or the copy {@link #numbered()} made by the prepare step (views, PostgreSQL).
   */
  String leftRelation(SqlDialect d) {
    if (direct) {
      return "(SELECT CAST(0 AS BIGINT) AS " + d.quote(RID) + ", " + timeExpression(d) + " AS " + d.quote(TS) + ", * FROM " + d.table(leftTable()) + ")";
    }
    if (!byRowId) return d.table(numbered());
    return "(SELECT rowid AS " + d.quote(RID) + ", " + timeExpression(d) + " AS " + d.quote(TS) + ", * FROM " + d.table(leftTable()) + ")";
  }

  /** The left as a warehouse table: direct and rowid modes are chosen for tables only. */
  TableName leftTable() {
    if (left instanceof TableName t) return t;
    throw new IllegalStateException(left + " is not a warehouse table");
  }

  /**
   * What the prepare step copies the left rows from: the table, or the {@code read_parquet} of every
   * file of the dataset.
   */
  String leftSource(Warehouse warehouse) {
    java.util.Map<String, DataType> columns = new java.util.LinkedHashMap<>();
    for (int i = 0; i < leftKeys.size(); i++) columns.put(leftKeys.get(i), groupBy.keyType(i));
    columns.put(timeColumn, DataType.Primitive.LONG);
    return warehouse.from(left, new RowSchema(columns), null, null);
  }

  /** The left time in epoch millis. */
  String timeExpression(SqlDialect d) {
    return timestamp ? d.epochMillis(d.quote(timeColumn)) : "CAST(" + d.quote(timeColumn) + " AS BIGINT)";
  }

  /** The table whose keys restrict the events (the left table's own rows). */
  TableName keySource() {
    return byRowId ? leftTable() : numbered();
  }

  /** The left table copied with a row id and its time in epoch millis (when not addressed by rowid). */
  TableName numbered() {
    return new TableName(output.schema(), "tessera_tmp_" + jobId + "_left");
  }

  /** Features per left row id. */
  TableName features() {
    return new TableName(output.schema(), "tessera_tmp_" + jobId + "_features");
  }

  /**
   * The kind of each left column when the output can be written directly: every column of a kind the
   * writers carry as it is read; empty otherwise.
   */
  static java.util.Optional<List<OutColumn>> directColumns(List<WarehouseColumn> columns) {
    List<OutColumn> out = new ArrayList<>();
    for (WarehouseColumn c : columns) {
      String t = c.typeName().toLowerCase(java.util.Locale.ROOT);
      ColumnKind kind = c.isText() ? ColumnKind.TEXT
          : t.equals("bigint") || t.equals("int8") ? ColumnKind.BIGINT
          : t.equals("integer") || t.equals("int4") ? ColumnKind.INTEGER
          : t.equals("double") || t.equals("double precision") || t.equals("float8") ? ColumnKind.DOUBLE
          : t.equals("boolean") ? ColumnKind.BOOLEAN : null;
      if (kind == null) return java.util.Optional.empty();
      out.add(new OutColumn(c.name(), kind));
    }
    return java.util.Optional.of(out);
  }

  /** The output of a direct training set: the left columns as they are, then one column per feature. */
  List<OutColumn> outputColumns(List<WarehouseColumn> leftColumns) {
    List<OutColumn> out = new ArrayList<>(directColumns(leftColumns).orElseThrow(
        () -> new IllegalStateException("the left table's columns can no longer be written directly; run the job again")));
    out.addAll(FeatureValues.columns(groupBy));
    return out;
  }

  /** For each left column, its index in the schema of the source the left table is. */
  int[] leftColumnIndexes(List<WarehouseColumn> leftColumns) {
    SourcePlan own = sources.get(selfSource());
    int[] out = new int[leftColumns.size()];
    for (int i = 0; i < out.length; i++) {
      String name = leftColumns.get(i).name();
      out[i] = -1;
      for (int j = 0; j < own.input().size(); j++) if (own.input().name(j).equalsIgnoreCase(name)) out[i] = j;
      if (out[i] < 0) throw new IllegalStateException("left column " + name + " is not in the source schema; run the job again");
    }
    return out;
  }

  /** Row id, then one column per feature (the row id leads back to the key and every left column). */
  List<OutColumn> featureColumns() {
    List<OutColumn> out = new ArrayList<>();
    out.add(new OutColumn(RID, ColumnKind.BIGINT));
    out.addAll(FeatureValues.columns(groupBy));
    return out;
  }

  /**
   * The source whose table is the left table itself, read once for both (see SelfCursor), or -1.
   * Its key columns must be the left key columns (they are when it is the same table and the keys
   * select columns as they are).
   */
  int selfSource() {
    for (SourcePlan s : sources) {
      if (!s.table().key().equals(left.key())) continue;
      boolean sameKeys = true;
      for (int i = 0; i < leftKeys.size(); i++) sameKeys &= s.keyInputColumns().get(i).equalsIgnoreCase(leftKeys.get(i));
      if (sameKeys) return s.index();
    }
    return -1;
  }

  /**
   * Whether events must be restricted to the left table's keys: not when the left table is a
   * source of the GroupBy itself (every event's key is then a left key; the filter would only cost).
   */
  boolean filterEventsByLeftKeys() {
    return sources.stream().noneMatch(s -> s.table().key().equals(left.key()));
  }

  List<Boolean> textKeys() {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < groupBy.keyNames().size(); i++) out.add(ColumnKind.of(groupBy.keyType(i)) == ColumnKind.TEXT);
    return out;
  }
}
