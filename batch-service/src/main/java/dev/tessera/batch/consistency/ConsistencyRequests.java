package dev.tessera.batch.consistency;

import dev.tessera.support.JoinResolution;
import dev.tessera.support.Definitions;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.batch.definitions.ResolvedJoin;
import dev.tessera.batch.ingest.IngestFormat;
import dev.tessera.batch.jobs.DefinitionsNotReadyException;
import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.join.JobJoin;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.read.UnsupportedSourceException;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import dev.tessera.support.LiveGroupBy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Validates a consistency request against the GroupBy (or the Join and its parts' GroupBys) and the
 * ingested feature log, and turns it into a launch. Every problem is reported at once, each naming its field.
 */
public final class ConsistencyRequests {
  static final int MAX_DAYS = 366;

  private final RequestSupport support;
  private final ConsistencyProperties properties;
  private final Definitions definitions;
  private final Job job;

  ConsistencyRequests(RequestSupport support, ConsistencyProperties properties, Definitions definitions, Job job) {
    this.support = support;
    this.properties = properties;
    this.definitions = definitions;
    this.job = job;
  }

  public Launch launch(ConsistencyRequest r) {
    if (r.isJoin()) return launchJoin(r);
    LiveGroupBy g = support.groupBy(r.groupBy());
    List<FieldProblem> problems = new ArrayList<>();
    support.checkSources(g.compiled(), problems);
    String target = "table:" + ConsistencyPlan.reportTable(g.name()).key();
    Common c = common(r, "logTable", IngestFormat.FEATURE_LOG.columns(), problems);
    JobParametersBuilder params = support.parameters(g, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems);
    RequestSupport.throwIfAny(problems);
    c.addTo(params);
    return new Launch(job, params.toJobParameters(), target, g.published());
  }

  /**
   * The Join form: the Join's live version with the GroupBy version each part resolves to now, recorded
   * with the job (older Join versions of the log are resolved by the prepare step); its rows are in
   * the log table's Join table.
   */
  private Launch launchJoin(ConsistencyRequest r) {
    List<FieldProblem> problems = new ArrayList<>();
    if (r.groupBy() != null) throw new InvalidRequestException("join", "give either groupBy or join, not both");
    String name = r.join().trim();
    if (name.isEmpty()) throw new InvalidRequestException("join", "is required: the name of a published Join");
    PublishedJoin published = definitions.liveJoin(name).orElseThrow(() -> new InvalidRequestException("join",
        "no Join '" + name + "' is published (" + definitions.description() + ")"));
    JoinResolution compiled = definitions.resolve(published);
    if (!compiled.ok()) {
      if (!definitions.isCaughtUp()) throw new DefinitionsNotReadyException(definitions.description());
      throw new InvalidRequestException(compiled.problems().stream()
          .map(p -> new FieldProblem("join", "the Join does not compile: " + p.path() + ": " + p.message())).toList());
    }
    CompiledJoin join = compiled.compiled();
    ResolvedJoin resolved = ResolvedJoin.of(compiled);
    for (CompiledPart p : join.parts()) checkSources(p, problems);
    String target = "table:" + JoinConsistencyPlan.reportTable(join.name()).key();
    Common c = common(r, "logTable", IngestFormat.FEATURE_LOG.joinColumns(), problems);
    JobParametersBuilder params = support.parameters(null, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems);
    RequestSupport.throwIfAny(problems);
    c.addTo(params);
    long partitions = params.toJobParameters().getLong(JobParameterNames.PARTITIONS);
    params.addString(JobJoin.JOIN, join.name(), false)
        .addLong(JobJoin.JOIN_VERSION, (long) published.version(), false)
        .addString(JobJoin.PART_VERSIONS, join.parts().stream().map(p -> Integer.toString(p.groupByVersion()))
            .collect(Collectors.joining(",")), false)
        .addString(JobParameterNames.PARTITIONED_STEPS, ConsistencyJobConfiguration.COMPUTE + "=" + partitions + ";"
            + ConsistencyJobConfiguration.DERIVE + "=" + partitions, false);
    return new Launch(job, params.toJobParameters(), target, null, resolved);
  }

  private void checkSources(CompiledPart p, List<FieldProblem> problems) {
    String part = "part " + p.name() + " (GroupBy " + p.groupBy().name() + " version " + p.groupByVersion() + ")";
    try {
      for (SourcePlan s : SourcePlan.of(p.groupBy())) {
        String problem = RequestSupport.sourceProblem(support.warehouse(), s);
        if (problem != null) problems.add(new FieldProblem("join", part + ": " + problem));
      }
    } catch (UnsupportedSourceException e) {
      problems.add(new FieldProblem("join", part + ": " + e.getMessage()));
    }
  }

  /** What both forms take: the days, the log tables, the tolerances. */
  private record Common(LocalDate start, LocalDate end, TableName log, TableName dead, ConsistencyProperties properties) {
    void addTo(JobParametersBuilder params) {
      params.addString(ConsistencyPlan.START, start.toString(), false)
          .addString(ConsistencyPlan.END, end.toString(), false)
          .addString(ConsistencyPlan.LOG_TABLE, log.toString(), false)
          .addString(ConsistencyPlan.DEAD_LETTER_TABLE, dead.toString(), false)
          .addDouble(ConsistencyPlan.RELATIVE, properties.relativeTolerance(), false)
          .addDouble(ConsistencyPlan.MOMENTS, properties.momentsTolerance(), false)
          .addDouble(ConsistencyPlan.SKETCH, properties.sketchErrors(), false)
          .addLong(ConsistencyPlan.SAMPLES, (long) properties.samples(), false);
    }
  }

  /**
   * @param logColumns the columns the log's rows must have: a GroupBy's in the log table, a Join's in its Join table
   */
  private Common common(ConsistencyRequest r, String logField, List<OutColumn> logColumns, List<FieldProblem> problems) {
    LocalDate start = support.date("startDate", r.startDate(), problems);
    LocalDate end = support.date("endDate", r.endDate(), problems);
    if (start != null && end != null) {
      if (end.isBefore(start)) problems.add(new FieldProblem("endDate", "must not be before startDate (" + start + ")"));
      else if (end.toEpochDay() - start.toEpochDay() >= MAX_DAYS) {
        problems.add(new FieldProblem("endDate", "the range is longer than " + MAX_DAYS + " days; split it into several jobs"));
      }
    }
    TableName log = table(logField, r.logTable() == null ? properties.logTable() : r.logTable(), problems);
    if (log != null) checkLog(support.warehouse(), r.isJoin() ? log.withSuffix(IngestFormat.JOIN_TABLE_SUFFIX) : log, logColumns, problems);
    TableName dead = table("deadLetterTable", r.deadLetterTable() == null ? properties.deadLetterTable() : r.deadLetterTable(), problems);
    if (r.deadLetterTable() != null && dead != null && !support.warehouse().exists(dead)) {
      problems.add(new FieldProblem("deadLetterTable", "table " + dead + " does not exist: ingest the dead-letter topic with"
          + " {\"format\": \"dead-letter\"} first"));
    }
    return new Common(start, end, log, dead, properties);
  }

  /** The log table must be a landed feature log: the columns of ingest format {@code feature-log}. */
  private static void checkLog(Warehouse warehouse, TableName log, List<OutColumn> expected, List<FieldProblem> problems) {
    List<WarehouseColumn> columns = warehouse.columns(log);
    if (columns.isEmpty()) {
      problems.add(new FieldProblem("logTable", "table " + log + " does not exist in the warehouse: ingest the fetcher's feature log"
          + " topic first (POST /api/v1/jobs/ingest {\"topic\": \"tessera.feature-log\", \"format\": \"feature-log\"})"));
      return;
    }
    Set<String> have = columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> missing = expected.stream().map(OutColumn::name).filter(n -> !have.contains(n)).toList();
    if (!missing.isEmpty()) problems.add(new FieldProblem("logTable", "table " + log + " is not a feature log: it lacks " + missing));
  }

  private static TableName table(String field, String value, List<FieldProblem> problems) {
    try {
      return TableName.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem(field, e.getMessage()));
      return null;
    }
  }
}
