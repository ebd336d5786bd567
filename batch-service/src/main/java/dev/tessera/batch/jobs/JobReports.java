package dev.tessera.batch.jobs;

import dev.tessera.support.security.ErrorText;
import dev.tessera.batch.read.ReadStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Reads the partitions of a job instance back from the job repository: for each partition, its
 * latest step execution in any attempt (a restart re-runs only the failed ones, so the completed
 * ones live in earlier executions) and its checkpoint.
 */
public final class JobReports {
  private JobReports() {}

  public static List<PartitionReport> partitions(JobRepository repository, JobInstance instance, String partitionedStep,
      int count, int maxSamples) {
    List<PartitionReport> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = JobSteps.workerName(partitionedStep) + ":" + KeyHashPartitioner.key(i);
      StepExecution s = repository.getLastStepExecution(instance, name);
      if (s == null) {
        out.add(new PartitionReport(i, "PENDING", null, null, 0, 0, 0, new ReadStats(maxSamples), Map.of(), null, null));
        continue;
      }
      PartitionCheckpoint c = PartitionCheckpoint.read(s.getExecutionContext(), maxSamples);
      ReadStats stats = c == null ? new ReadStats(maxSamples) : c.stats(maxSamples);
      out.add(new PartitionReport(i, s.getStatus().name(), s.getStartTime(), s.getEndTime(),
          c == null ? 0 : c.entities(), c == null ? 0 : c.rowsWritten(), c == null ? 0 : c.chunks(), stats,
          c == null ? Map.of() : c.counters(), firstLine(s.getExitStatus().getExitDescription()),
          s.getExecutionContext().containsKey(PartitionReport.WORKER) ? s.getExecutionContext().getString(PartitionReport.WORKER) : null));
    }
    return out;
  }

  /**
   * The {@code count} partitions of the partitioned step {@code step}, once the job-wide reject limits
   * hold over all their rows (a finish step's first check: the fraction is only known when every
   * partition has run).
   *
   * @throws TooManyRejectionsException when they do not
   */
  public static List<PartitionReport> checked(JobRepository repository, JobExecution execution, String step, int count, int maxSamples) {
    List<PartitionReport> reports = partitions(repository, execution.getJobInstance(), step, count, maxSamples);
    RejectLimits.of(execution.getJobParameters()).check(total(reports, maxSamples));
    return reports;
  }

  /** {@link #checked(JobRepository, JobExecution, String, int, int)} for a step of the job's {@code partitions} partitions. */
  public static List<PartitionReport> checked(JobRepository repository, JobExecution execution, String step, int maxSamples) {
    int count = Math.toIntExact(execution.getJobParameters().getLong(JobParameterNames.PARTITIONS));
    return checked(repository, execution, step, count, maxSamples);
  }

  public static ReadStats total(List<PartitionReport> partitions, int maxSamples) {
    ReadStats t = new ReadStats(maxSamples);
    partitions.forEach(p -> t.add(p.stats()));
    return t;
  }

  /** A named counter summed over partitions. */
  public static long counter(List<PartitionReport> partitions, String name) {
    return partitions.stream().mapToLong(p -> p.counters().getOrDefault(name, 0L)).sum();
  }

  /**
   * The first line of an exit description (Spring Batch stores the whole stack trace there); for a
   * chunk step's "Unable to process chunk", the root cause's line instead (what actually went wrong).
   */
  public static String firstLine(String description) {
    if (description == null || description.isBlank()) return null;
    String line = description.strip().lines().findFirst().orElse("");
    if (line.contains("FatalStepExecutionException")) {
      line = description.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b).map(l -> l.substring("Caused by: ".length()))
          .orElse(line);
    }
    line = ErrorText.clean(line); // the job view is an answer: no class names or warehouse paths (the log has them)
    return line.length() > 1000 ? line.substring(0, 997) + "..." : line;
  }
}
