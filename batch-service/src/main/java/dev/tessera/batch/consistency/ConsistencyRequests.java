package dev.tessera.batch.consistency;

import dev.tessera.batch.ingest.IngestFormat;
import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
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

/** Validates a consistency request against the GroupBy and the ingested feature log, and turns it into a launch. */
public final class ConsistencyRequests {
  static final int MAX_DAYS = 366;

  private final RequestSupport support;
  private final ConsistencyProperties properties;
  private final Job job;

  ConsistencyRequests(RequestSupport support, ConsistencyProperties properties, Job job) {
    this.support = support;
    this.properties = properties;
    this.job = job;
  }

  public Launch launch(ConsistencyRequest r) {
    LiveGroupBy g = support.groupBy(r.groupBy());
    List<FieldProblem> problems = new ArrayList<>();
    LocalDate start = support.date("startDate", r.startDate(), problems);
    LocalDate end = support.date("endDate", r.endDate(), problems);
    if (start != null && end != null) {
      if (end.isBefore(start)) problems.add(new FieldProblem("endDate", "must not be before startDate (" + start + ")"));
      else if (end.toEpochDay() - start.toEpochDay() >= MAX_DAYS) {
        problems.add(new FieldProblem("endDate", "the range is longer than " + MAX_DAYS + " days; split it into several jobs"));
      }
    }
    support.checkSources(g.compiled(), problems);
    TableName log = table("logTable", r.logTable() == null ? properties.logTable() : r.logTable(), problems);
    if (log != null) checkLog(support.warehouse(), log, problems);
    TableName dead = table("deadLetterTable", r.deadLetterTable() == null ? properties.deadLetterTable() : r.deadLetterTable(), problems);
    if (r.deadLetterTable() != null && dead != null && !support.warehouse().exists(dead)) {
      problems.add(new FieldProblem("deadLetterTable", "table " + dead + " does not exist: ingest the dead-letter topic with"
          + " {\"format\": \"dead-letter\"} first"));
    }
    String target = "table:" + ConsistencyPlan.reportTable(g.name()).key();
    JobParametersBuilder params = support.parameters(g, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems);
    RequestSupport.throwIfAny(problems);
    params.addString(ConsistencyPlan.START, start.toString(), false)
        .addString(ConsistencyPlan.END, end.toString(), false)
        .addString(ConsistencyPlan.LOG_TABLE, log.toString(), false)
        .addString(ConsistencyPlan.DEAD_LETTER_TABLE, dead.toString(), false)
        .addDouble(ConsistencyPlan.RELATIVE, properties.relativeTolerance(), false)
        .addDouble(ConsistencyPlan.MOMENTS, properties.momentsTolerance(), false)
        .addDouble(ConsistencyPlan.SKETCH, properties.sketchErrors(), false)
        .addLong(ConsistencyPlan.SAMPLES, (long) properties.samples(), false);
    return new Launch(job, params.toJobParameters(), target, g.published());
  }

  /** The log table must be a landed feature log: the columns of ingest format {@code feature-log}. */
  private static void checkLog(Warehouse warehouse, TableName log, List<FieldProblem> problems) {
    List<WarehouseColumn> columns = warehouse.columns(log);
    if (columns.isEmpty()) {
      problems.add(new FieldProblem("logTable", "table " + log + " does not exist in the warehouse: ingest the fetcher's feature log"
          + " topic first (POST /api/v1/jobs/ingest {\"topic\": \"tessera.feature-log\", \"format\": \"feature-log\"})"));
      return;
    }
    Set<String> have = columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> missing = IngestFormat.FEATURE_LOG.columns().stream().map(OutColumn::name).filter(n -> !have.contains(n)).toList();
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
