package dev.tessera.batch.join;

import dev.tessera.support.JoinResolution;
import dev.tessera.support.Definitions;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.batch.definitions.ResolvedJoin;
import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.read.UnsupportedSourceException;
import dev.tessera.batch.trainingset.TrainingSetRequest;
import dev.tessera.batch.trainingset.TrainingSetRequests;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Validates the Join form of a training set request against the Join, its parts' GroupBys and the
 * warehouse, and turns it into a launch. Every problem is reported at once, each naming its field
 * (the left table and the sources come from the Join, so their problems name {@code join}).
 */
public final class JoinTrainingSetRequests {
  private final RequestSupport support;
  private final Definitions definitions;
  private final Job job;

  JoinTrainingSetRequests(RequestSupport support, Definitions definitions, Job job) {
    this.support = support;
    this.definitions = definitions;
    this.job = job;
  }

  public Launch launch(TrainingSetRequest r) {
    String name = r.join().trim();
    PublishedJoin published = definitions.liveJoin(name).orElseThrow(() -> new InvalidRequestException("join",
        "no Join '" + name + "' is published (" + definitions.description() + ")"));
    JoinResolution compiled = definitions.resolve(published);
    if (!compiled.ok()) {
      if (!definitions.isCaughtUp()) throw new dev.tessera.batch.jobs.DefinitionsNotReadyException(definitions.description());
      throw new InvalidRequestException(compiled.problems().stream().map(JoinTrainingSetRequests::problem).toList());
    }
    CompiledJoin join = compiled.compiled();
    ResolvedJoin resolved = ResolvedJoin.of(compiled);

    Warehouse warehouse = support.warehouse();
    List<FieldProblem> problems = new ArrayList<>();
    checkSources(join, problems);
    Relation left = left(published, problems);
    String apart = RequestSupport.leftProblem(warehouse, left);
    if (apart != null) {
      problems.add(new FieldProblem("join", "left.parquet: " + apart));
      left = null;
    }
    TableName output = table("outputTable", r.outputTable(), null, problems);
    WarehouseColumn time = left == null ? null : checkLeft(join, published, left, leftColumns(left, problems), problems);
    if (output != null) {
      checkOutput(join, left, output, problems);
      // its own left table is refused above, once
      if (left == null || !left.key().equals(output.key())) support.checkWritable("outputTable", output, null, problems);
    }
    Long start = day("startDate", r.startDate(), 0, problems);
    Long end = day("endDate", r.endDate(), 1, problems);
    if (start != null && end != null && end <= start) problems.add(new FieldProblem("endDate", "must not be before startDate"));
    String parquet = support.parquetPath(r.parquetPath(), problems);
    String dataset = support.parquetDataset(r.parquetDataset(), problems);
    String target = output == null ? "table:?" : "table:" + output.key();
    JobParametersBuilder params = support.parameters(null, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems)
        .addString(JobParameterNames.OWNER, "training-set:join:" + join.name(), false);
    RequestSupport.throwIfAny(problems);

    long partitions = params.toJobParameters().getLong(JobParameterNames.PARTITIONS);
    params.addString(JoinPlan.JOIN, join.name(), false)
        .addLong(JoinPlan.JOIN_VERSION, (long) published.version(), false)
        .addString(JoinPlan.PART_VERSIONS, join.parts().stream().map(p -> Integer.toString(p.groupByVersion()))
            .collect(Collectors.joining(",")), false)
        .addString(JoinPlan.DERIVES, Boolean.toString(!join.derivedColumns().isEmpty()), false)
        .addString(JoinPlan.LEFT, left.recorded(), false)
        .addString(JoinPlan.TIME, time.name(), false)
        .addString(JoinPlan.TIME_IS_TIMESTAMP, Boolean.toString(time.isTimestamp()), false)
        .addString(JoinPlan.OUTPUT, output.toString(), false)
        .addString(JobParameterNames.PARTITIONED_STEPS, JobSteps.computeStep(JoinTrainingSetJobConfiguration.JOB) + "="
            + partitions * join.parts().size() + ";" + JoinTrainingSetJobConfiguration.DERIVE + "=" + (join.derivedColumns().isEmpty() ? 0 : partitions),
            false);
    if (start != null) params.addLong(JoinPlan.START, start, false);
    if (end != null) params.addLong(JoinPlan.END, end, false);
    if (parquet != null) params.addString(JoinPlan.PARQUET, parquet, false);
    if (dataset != null) params.addString(JoinPlan.PARQUET_DATASET, dataset, false);
    return new Launch(job, params.toJobParameters(), target, null, resolved);
  }

  private static FieldProblem problem(Problem p) {
    return new FieldProblem("join", "the Join does not compile: " + p.path() + ": " + p.message());
  }

  /** Every part's sources can be read: plain key columns, tables with the schema's columns. */
  private void checkSources(CompiledJoin join, List<FieldProblem> problems) {
    for (CompiledPart p : join.parts()) {
      try {
        for (SourcePlan s : SourcePlan.of(p.groupBy())) {
          String problem = RequestSupport.sourceProblem(support.warehouse(), s);
          if (problem != null) problems.add(new FieldProblem("join", partName(p) + ": " + problem));
        }
      } catch (UnsupportedSourceException e) {
        problems.add(new FieldProblem("join", partName(p) + ": " + e.getMessage()));
      }
    }
  }

  /** The Join's left table or Parquet dataset (its path's shape checked again: the Join may come from an older registry). */
  private static Relation left(PublishedJoin published, List<FieldProblem> problems) {
    String parquet = published.definition().left().parquet();
    if (parquet == null) return table("join", published.definition().left().table(), "left.table", problems);
    try {
      return new ParquetDataset(parquet);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem("join", "left.parquet: " + e.getMessage()));
      return null;
    }
  }

  /** The left's columns (a dataset's: its newest file's); a dataset the lake cannot read is a problem, and then no columns. */
  private List<WarehouseColumn> leftColumns(Relation left, List<FieldProblem> problems) {
    try {
      return support.warehouse().columns(left);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem("join", "left.parquet: " + e.getMessage()));
      return null;
    }
  }

  /**
   * The left table has the Join's left schema (key columns of the GroupBy keys' kinds), a time column
   * of epoch millis or a TIMESTAMP, and no column named like an output column.
   *
   * @return the time column, or null when there is a problem with it
   */
  private WarehouseColumn checkLeft(CompiledJoin join, PublishedJoin published, Relation left, List<WarehouseColumn> columns,
      List<FieldProblem> problems) {
    Warehouse warehouse = support.warehouse();
    if (columns == null) return null;
    if (columns.isEmpty()) {
      problems.add(new FieldProblem("join", left instanceof TableName
          ? "the Join's left table " + left + " does not exist in the " + warehouse.kind() + " warehouse"
          : "the Join's left " + left + " matches no file in the lake directory (tessera.batch.lake-dir)"));
      return null;
    }
    String timeName = published.definition().left().timeColumn();
    WarehouseColumn time = null;
    for (Map.Entry<String, DataType> e : published.definition().left().schema().entrySet()) {
      Optional<WarehouseColumn> c = warehouse.column(columns, e.getKey());
      if (c.isEmpty()) {
        problems.add(new FieldProblem("join", "the left " + left.named() + " has no column '" + e.getKey() + "' (left.schema)"));
      } else if (e.getKey().equalsIgnoreCase(timeName)) {
        time = c.get();
      } else if (e.getValue().isPrimitive() && !TrainingSetRequests.compatible(e.getValue(), c.get())) {
        problems.add(new FieldProblem("join", "column '" + c.get().name() + "' of " + left + " is " + c.get().typeName()
            + " but left.schema says " + e.getValue().spec()));
      }
    }
    if (time == null) time = warehouse.column(columns, timeName).orElse(null);
    if (time == null) {
      problems.add(new FieldProblem("join", "the left " + left.named() + " has no time column '" + timeName + "' (left.timeColumn)"));
    } else if (!time.isIntegral() && !time.isTimestamp()) {
      problems.add(new FieldProblem("join", "the left time column '" + time.name() + "' is " + time.typeName()
          + "; it must be BIGINT epoch milliseconds or a TIMESTAMP"));
      time = null;
    }
    List<OutputColumn> computed = new ArrayList<>(join.featureColumns());
    computed.addAll(join.derivedColumns());
    for (OutputColumn o : computed) {
      if (warehouse.column(columns, o.name()).isPresent()) {
        problems.add(new FieldProblem("join", "column '" + o.name() + "' of the left " + left.named() + " has the name of an output column of "
            + join.name() + "; rename it"));
      }
    }
    for (WarehouseColumn c : columns) {
      if (JoinPlan.reserved(c.name())) problems.add(new FieldProblem("join", "column name " + c.name() + " of " + left + " is reserved"));
    }
    return time;
  }

  /** The output replaces a table: never one the job reads, nor one of the service's work tables. */
  private static void checkOutput(CompiledJoin join, Relation left, TableName output, List<FieldProblem> problems) {
    if (left != null && output.key().equals(left.key())) {
      problems.add(new FieldProblem("outputTable", "must differ from the Join's left table " + left));
    }
    if (output.name().toLowerCase(Locale.ROOT).startsWith("tessera_tmp_")) {
      problems.add(new FieldProblem("outputTable", "names starting with tessera_tmp_ are reserved for the service's work tables"));
    }
    for (CompiledPart p : join.parts()) {
      try {
        for (SourcePlan s : SourcePlan.of(p.groupBy())) {
          if (s.table().key().equals(output.key())) {
            problems.add(new FieldProblem("outputTable", "must not be " + s.table() + ", a source table of " + partName(p)));
          }
        }
      } catch (UnsupportedSourceException ignored) {
        // reported by checkSources
      }
    }
  }

  private static String partName(CompiledPart p) {
    return "part " + p.name() + " (GroupBy " + p.groupBy().name() + " version " + p.groupByVersion() + ")";
  }

  private static TableName table(String field, String value, String path, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) {
      problems.add(new FieldProblem(field, path == null ? "is required" : "the Join has no " + path));
      return null;
    }
    try {
      return TableName.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem(field, (path == null ? "" : path + ": ") + e.getMessage()));
      return null;
    }
  }

  /** Midnight UTC of the day (plus {@code plusDays}) in epoch millis, or null when not given. */
  private static Long day(String field, String value, int plusDays, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) return null;
    try {
      return LocalDate.parse(value.trim()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      problems.add(new FieldProblem(field, "'" + value + "' is not a date (yyyy-MM-dd)"));
      return null;
    }
  }
}
