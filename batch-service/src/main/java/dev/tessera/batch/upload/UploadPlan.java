package dev.tessera.batch.upload;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.jobs.JobGroupBy;
import dev.tessera.batch.read.SourcePlan;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/** An upload's fixed inputs: the GroupBy version, the date and its batch end B, the sources. */
record UploadPlan(PublishedGroupBy published, CompiledGroupBy groupBy, LocalDate date, long batchEnd, List<SourcePlan> sources) {
  static final String DATE = "date";
  static final String BATCH_END = "batchEnd";

  static UploadPlan of(JobExecution execution) {
    PublishedGroupBy published = JobGroupBy.published(execution);
    CompiledGroupBy g = GroupByCompiler.compile(published.definition()).orThrow();
    JobParameters p = execution.getJobParameters();
    return new UploadPlan(published, g, LocalDate.parse(p.getString(DATE)), p.getLong(BATCH_END), SourcePlan.of(g));
  }

  int version() {
    return published.version();
  }

  /**
   * The events an upload reads: everything a batch IR ending at B can hold (from the earliest window
   * start as of B), plus {@code lookback} more, so that entities that have fallen out of every window
   * since the last uploads are seen and their old batch IR deleted.
   */
  ReadWindow readWindow(Duration lookback) {
    Long from = ReadWindow.earliestStart(groupBy, batchEnd);
    return new ReadWindow(from == null ? null : from - lookback.toMillis(), batchEnd);
  }
}
