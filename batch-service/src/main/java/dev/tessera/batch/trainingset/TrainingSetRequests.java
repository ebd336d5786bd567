package dev.tessera.batch.trainingset;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.DataType;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.read.UnsupportedSourceException;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import dev.tessera.support.LiveGroupBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** Validates a training set request against the GroupBy and the left table, and turns it into a launch. */
public final class TrainingSetRequests {
  private final RequestSupport support;
  private final Job job;

  TrainingSetRequests(RequestSupport support, Job job) {
    this.support = support;
    this.job = job;
  }

  public Launch launch(TrainingSetRequest r) {
    LiveGroupBy g = support.groupBy(r.groupBy());
    CompiledGroupBy compiled = g.compiled();
    Warehouse warehouse = support.warehouse();
    List<FieldProblem> problems = new ArrayList<>();
    support.checkSources(compiled, problems);

    String leftField = r.leftParquet() != null ? "leftParquet" : "leftTable";
    Relation left = left(r, problems);
    String apart = RequestSupport.leftProblem(warehouse, left);
    if (apart != null) {
      problems.add(new FieldProblem(leftField, apart));
      left = null;
    }
    TableName output = table("outputTable", r.outputTable(), problems);
    List<String> leftKeys = new ArrayList<>();
    List<WarehouseColumn> leftColumns = List.of();
    String timeColumn = null;
    boolean timestamp = false;
    List<WarehouseColumn> columns = left == null ? null : columns(left, problems);
    if (columns != null) {
      leftColumns = columns;
      if (columns.isEmpty()) {
        problems.add(new FieldProblem(leftField, left instanceof TableName
            ? "table " + left + " does not exist in the " + warehouse.kind() + " warehouse"
            : left + " matches no file in the lake directory (tessera.batch.lake-dir)"));
      } else {
        for (int i = 0; i < compiled.keyNames().size(); i++) {
          String key = compiled.keyNames().get(i);
          Optional<WarehouseColumn> c = warehouse.column(columns, key);
          if (c.isEmpty()) {
            problems.add(new FieldProblem(leftField, left.named() + " has no column '" + key + "' (a key of " + g.name() + ")"));
          } else if (!compatible(compiled.keyType(i), c.get())) {
            problems.add(new FieldProblem(leftField, "column '" + c.get().name() + "' of " + left.named() + " is " + c.get().typeName()
                + " but key '" + key + "' of " + g.name() + " is " + compiled.keyType(i).spec()));
          } else {
            leftKeys.add(c.get().name());
          }
        }
        if (r.timeColumn() == null || r.timeColumn().isBlank()) {
          problems.add(new FieldProblem("timeColumn", "is required: the left table's time (BIGINT epoch millis or TIMESTAMP)"));
        } else {
          Optional<WarehouseColumn> t = warehouse.column(columns, r.timeColumn().trim());
          if (t.isEmpty()) {
            problems.add(new FieldProblem("timeColumn", left.named() + " has no column '" + r.timeColumn() + "'"));
          } else if (!t.get().isIntegral() && !t.get().isTimestamp()) {
            problems.add(new FieldProblem("timeColumn", "column '" + t.get().name() + "' is " + t.get().typeName()
                + "; it must be BIGINT epoch milliseconds or a TIMESTAMP"));
          } else {
            timeColumn = t.get().name();
            timestamp = t.get().isTimestamp();
          }
        }
        for (Feature f : compiled.features()) {
          if (warehouse.column(columns, f.name()).isPresent()) {
            problems.add(new FieldProblem(leftField, "column '" + f.name() + "' of " + left.named() + " has the name of a feature of "
                + g.name() + "; rename it"));
          }
        }
        for (String reserved : List.of(TrainingSetPlan.RID, TrainingSetPlan.TS)) {
          if (warehouse.column(columns, reserved).isPresent()) problems.add(new FieldProblem(leftField, "column name " + reserved + " is reserved"));
        }
      }
    }
    if (output != null) {
      support.checkWritable("outputTable", output, null, problems);
      if (left != null && output.key().equals(left.key())) problems.add(new FieldProblem("outputTable", "must differ from leftTable"));
      if (output.name().toLowerCase(Locale.ROOT).startsWith("tessera_tmp_")) {
        problems.add(new FieldProblem("outputTable", "names starting with tessera_tmp_ are reserved for the service's work tables"));
      }
      try {
        for (SourcePlan s : SourcePlan.of(compiled)) {
          if (s.table().key().equals(output.key())) problems.add(new FieldProblem("outputTable", "must not be a source table of " + g.name()));
        }
      } catch (UnsupportedSourceException ignored) {
        // already reported by checkSources
      }
    }
    String parquet = support.parquetPath(r.parquetPath(), problems);
    String dataset = support.parquetDataset(r.parquetDataset(), problems);
    String target = output == null ? "table:?" : "table:" + output.key();
    JobParametersBuilder params = support.parameters(g, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems)
        .addString(JobParameterNames.OWNER, "training-set:groupBy:" + g.name(), false);
    RequestSupport.throwIfAny(problems);
    support.lakeShuffle(params, r.lakeShuffle(), compiled);
    params.addString(TrainingSetPlan.LEFT, left.recorded(), false)
        .addString(TrainingSetPlan.LEFT_KEYS, String.join(",", leftKeys), false)
        .addString(TrainingSetPlan.TIME, timeColumn, false)
        .addString(TrainingSetPlan.TIME_IS_TIMESTAMP, Boolean.toString(timestamp), false)
        .addString(TrainingSetPlan.LEFT_MODE, left instanceof TableName t && warehouse.isDuckDbBaseTable(t) ? "rowid" : "copy", false)
        .addString(TrainingSetPlan.OUTPUT_MODE, direct(compiled, left, leftKeys, leftColumns) ? "direct" : "join", false)
        .addString(TrainingSetPlan.OUTPUT, output.toString(), false);
    if (parquet != null) params.addString(TrainingSetPlan.PARQUET, parquet, false);
    if (dataset != null) params.addString(TrainingSetPlan.PARQUET_DATASET, dataset, false);
    return new Launch(job, params.toJobParameters(), target, g.published());
  }

  /**
   * Whether partitions can write the output themselves: the left table is a source of the GroupBy
   * (its own events), read with the same key columns, and holds exactly that source's schema columns,
   * all of types the writers carry as they are.
   */
  static boolean direct(CompiledGroupBy g, Relation left, List<String> leftKeys, List<WarehouseColumn> leftColumns) {
    // A dataset is copied with a row id first (its files are listed, not addressed): the join way.
    if (!(left instanceof TableName)) return false;
    for (SourcePlan s : SourcePlan.of(g)) {
      if (!s.table().key().equals(left.key())) continue;
      boolean sameKeys = true;
      for (int i = 0; i < leftKeys.size(); i++) sameKeys &= s.keyInputColumns().get(i).equalsIgnoreCase(leftKeys.get(i));
      java.util.Set<String> schema = new java.util.HashSet<>();
      s.input().names().forEach(n -> schema.add(n.toLowerCase(Locale.ROOT)));
      java.util.Set<String> columns = new java.util.HashSet<>();
      leftColumns.forEach(c -> columns.add(c.name().toLowerCase(Locale.ROOT)));
      // List and map columns are read as values, not as the text they are stored as: those go the join way.
      boolean plain = s.input().names().stream().allMatch(n -> s.input().type(n).isPrimitive());
      if (sameKeys && plain && schema.equals(columns) && TrainingSetPlan.directColumns(leftColumns).isPresent()) return true;
    }
    return false;
  }

  /** The left rows: exactly one of {@code leftTable} and {@code leftParquet} (a dataset path, as a definition's {@code parquet}). */
  private static Relation left(TrainingSetRequest r, List<FieldProblem> problems) {
    if (r.leftParquet() == null) return table("leftTable", r.leftTable(), problems);
    if (r.leftTable() != null) {
      problems.add(new FieldProblem("leftParquet", "give either leftTable or leftParquet, not both"));
      return null;
    }
    try {
      return new ParquetDataset(r.leftParquet().trim());
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem("leftParquet", e.getMessage()));
      return null;
    }
  }

  /** The left's columns (a dataset's: its newest file's), or null with a problem when the lake cannot read it. */
  private List<WarehouseColumn> columns(Relation left, List<FieldProblem> problems) {
    try {
      return support.warehouse().columns(left);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem("leftParquet", e.getMessage()));
      return null;
    }
  }

  private static TableName table(String field, String value, List<FieldProblem> problems) {
    try {
      return TableName.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem(field, e.getMessage()));
      return null;
    }
  }

  /** Left key columns must hold the same kind of value as the GroupBy key, or the keys would never match. */
  public static boolean compatible(DataType keyType, WarehouseColumn c) {
    if (keyType == DataType.Primitive.STRING) return c.isText();
    if (keyType.isIntegral()) return c.isIntegral();
    if (keyType == DataType.Primitive.DOUBLE || keyType == DataType.Primitive.FLOAT) return c.isFloating();
    if (keyType == DataType.Primitive.BOOLEAN) return c.isBoolean();
    return false;
  }
}
