package dev.tessera.batch.api;

import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.read.ReadStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Builds job views from the job repository. Progress is read from the partitions' checkpoints,
 * which are saved after every committed chunk, so a running job shows its progress as it goes.
 */
public final class JobViews {
  private final JobRepository repository;
  private final JobSubmitter submitter;
  private final int maxSamples;

  public JobViews(JobRepository repository, JobSubmitter submitter, int maxSamples) {
    this.repository = repository;
    this.submitter = submitter;
    this.maxSamples = maxSamples;
  }

  public JobView view(long id) {
    JobInstance instance = submitter.instance(id);
    List<JobExecution> executions = new ArrayList<>(repository.getJobExecutions(instance));
    executions.sort(Comparator.comparingLong(JobExecution::getId));
    JobExecution last = executions.getLast();
    JobParameters params = last.getJobParameters();
    Map<String, Integer> partitioned = partitionedSteps(instance.getJobName(), params);

    List<JobView.PartitionView> partitions = new ArrayList<>();
    ReadStats total = new ReadStats(maxSamples);
    long entities = 0;
    long written = 0;
    int done = 0;
    int count = 0;
    // Once one partitioned step has started, every one is shown (those not started yet as PENDING partitions).
    boolean anyPartitioned = partitioned.keySet().stream().anyMatch(step -> hasStep(executions, step));
    for (var step : partitioned.entrySet()) {
      if (!anyPartitioned) break;
      count += step.getValue();
      List<PartitionReport> reports = JobReports.partitions(repository, instance, step.getKey(), step.getValue(), maxSamples);
      reports.forEach(p -> total.add(p.stats()));
      entities += reports.stream().mapToLong(PartitionReport::entities).sum();
      written += reports.stream().mapToLong(PartitionReport::rowsWritten).sum();
      done += (int) reports.stream().filter(p -> p.status().equals(BatchStatus.COMPLETED.name())).count();
      reports.forEach(p -> partitions.add(partition(step.getKey(), p)));
    }
    if (!anyPartitioned) {
      // Jobs without partitions (ingest) count on their steps' standard counters.
      for (StepExecution s : latestSteps(executions).values()) {
        total.add(countsOf(s));
        written += s.getWriteCount();
      }
    }

    List<String> errors = new ArrayList<>();
    String jobError = JobReports.firstLine(last.getExitStatus().getExitDescription());
    for (StepExecution s : last.getStepExecutions()) {
      if (s.getStatus() == BatchStatus.FAILED) {
        String e = JobReports.firstLine(s.getExitStatus().getExitDescription());
        if (e != null) errors.add(s.getStepName() + ": " + e);
      }
    }
    if (errors.isEmpty() && jobError != null && last.getStatus() != BatchStatus.COMPLETED) errors.add(jobError);

    List<JobView.Attempt> attempts = executions.stream().map(e -> new JobView.Attempt(e.getId(), e.getStatus().name(),
        e.getStartTime(), e.getEndTime(), JobReports.firstLine(e.getExitStatus().getExitDescription()))).toList();
    return new JobView(id, instance.getJobName(), last.getStatus().name(), last.getExitStatus().getExitCode(),
        params.getString(JobParameterNames.GROUP_BY), params.getLong(JobParameterNames.VERSION), params.getString(JobParameterNames.TARGET),
        parameters(params), executions.getFirst().getCreateTime(), executions.getFirst().getStartTime(), last.getEndTime(),
        new JobView.Progress(done, count, total.read(), total.accepted(), total.filtered(), total.rejected(), total.outOfRange(),
            entities, written),
        partitions,
        new JobView.Rejections(total.rejected(), total.reasons(),
            total.samples().stream().map(s -> new JobView.Sample(s.reason(), s.row())).toList()),
        errors, JobResults.get(last), attempts);
  }

  public List<JobSummary> recent(String type, int limit) {
    List<JobSummary> out = new ArrayList<>();
    for (Job job : submitter.jobs()) {
      if (type != null && !type.equals(job.getName())) continue;
      for (JobInstance i : repository.getJobInstances(job.getName(), 0, limit)) {
        JobExecution last = repository.getLastJobExecution(i);
        if (last == null) continue;
        JobParameters p = last.getJobParameters();
        out.add(new JobSummary(i.getInstanceId(), i.getJobName(), last.getStatus().name(), p.getString(JobParameterNames.GROUP_BY),
            p.getString(JobParameterNames.TARGET), last.getCreateTime(), last.getEndTime()));
      }
    }
    out.sort(Comparator.comparingLong(JobSummary::id).reversed());
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  private static boolean hasStep(List<JobExecution> all, String step) {
    return all.stream().flatMap(e -> e.getStepExecutions().stream()).anyMatch(s -> s.getStepName().equals(step));
  }

  private static Map<String, StepExecution> latestSteps(List<JobExecution> executions) {
    Map<String, StepExecution> latest = new LinkedHashMap<>();
    for (JobExecution e : executions) {
      for (StepExecution s : e.getStepExecutions()) latest.put(s.getStepName(), s);
    }
    return latest;
  }

  private ReadStats countsOf(StepExecution s) {
    return ReadStats.ofCounts(s.getReadCount(), s.getReadCount() - s.getReadSkipCount() - s.getFilterCount(), s.getFilterCount(),
        s.getReadSkipCount(), maxSamples);
  }

  private static Map<String, Object> parameters(JobParameters params) {
    Map<String, Object> out = new LinkedHashMap<>();
    params.parameters().forEach(p -> out.put(p.name(), p.value()));
    return out;
  }

  /**
   * The partitioned steps whose partitions the view shows, with their partition counts: those a job
   * names in {@code partitionedSteps}, else its {@code <job>.compute} step with {@code partitions}.
   */
  static Map<String, Integer> partitionedSteps(String job, JobParameters params) {
    Map<String, Integer> out = new LinkedHashMap<>();
    String named = params.getString(JobParameterNames.PARTITIONED_STEPS);
    if (named != null && !named.isBlank()) {
      for (String entry : named.split(";")) {
        String[] kv = entry.split("=", 2);
        out.put(kv[0], Integer.parseInt(kv[1]));
      }
      return out;
    }
    Long n = params.getLong(JobParameterNames.PARTITIONS);
    if (n != null) out.put(JobSteps.computeStep(job), Math.toIntExact(n));
    return out;
  }

  private static JobView.PartitionView partition(String step, PartitionReport p) {
    ReadStats s = p.stats();
    return new JobView.PartitionView(step, p.partition(), p.status(), p.startTime(), p.endTime(), s.read(), s.accepted(), s.filtered(),
        s.rejected(), p.entities(), p.rowsWritten(), p.error(), p.worker());
  }
}
