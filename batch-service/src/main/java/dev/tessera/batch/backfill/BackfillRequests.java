package dev.tessera.batch.backfill;

import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.support.LiveGroupBy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** Validates a backfill request and turns it into a launch. */
public final class BackfillRequests {
  /** About ten years of days: a longer range is almost certainly a typo. */
  static final int MAX_DAYS = 3660;

  private final RequestSupport support;
  private final Job job;

  BackfillRequests(RequestSupport support, Job job) {
    this.support = support;
    this.job = job;
  }

  public Launch launch(BackfillRequest r) {
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
    String parquet = support.parquetPath(r.parquetPath(), problems);
    String dataset = support.parquetDataset(r.parquetDataset(), problems);
    support.checkSources(g.compiled(), problems);
    String target = "table:" + BackfillPlan.outputTable(g.name(), g.version()).key();
    JobParametersBuilder params = support.parameters(g, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems);
    RequestSupport.throwIfAny(problems);
    support.lakeShuffle(params, r.lakeShuffle(), g.compiled());
    params.addString(BackfillPlan.START, start.toString(), false).addString(BackfillPlan.END, end.toString(), false);
    if (parquet != null) params.addString(BackfillPlan.PARQUET, parquet, false);
    if (dataset != null) params.addString(BackfillPlan.PARQUET_DATASET, dataset, false);
    return new Launch(job, params.toJobParameters(), target, g.published());
  }
}
