package dev.tessera.batch.jobs;

import java.util.Optional;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, restarts and stops jobs. Jobs run asynchronously (the job operator's executor); the
 * caller gets the job id (the Spring Batch job instance id, which a restart keeps). Two running jobs
 * never write the same target: the check and the start happen under one lock, so concurrent
 * requests cannot both pass it.
 */
public final class JobSubmitter {
  private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);
  /** How many recent jobs per type the table ownership check reads. */
  private static final int OWNER_SCAN = 5000;

  private final JobOperator operator;
  private final JobRepository repository;
  private final List<Job> jobs;
  private final DefinitionHandoff handoff;

  public JobSubmitter(JobOperator operator, JobRepository repository, List<Job> jobs, DefinitionHandoff handoff) {
    this.operator = operator;
    this.repository = repository;
    this.jobs = List.copyOf(jobs);
    this.handoff = handoff;
  }

  public synchronized long submit(Launch launch) {
    checkNoConflict(launch.target(), -1);
    checkOwner(launch);
    String requestId = launch.parameters().getString(JobParameterNames.REQUEST_ID);
    if (launch.groupBy() != null) handoff.put(requestId, launch.groupBy());
    if (launch.join() != null) handoff.put(requestId, launch.join());
    try {
      JobExecution e = operator.start(launch.job(), launch.parameters());
      log.info("started {} job {} (execution {}) for {}", launch.job().getName(), e.getJobInstanceId(), e.getId(), launch.target());
      return e.getJobInstanceId();
    } catch (Exception e) {
      handoff.discard(requestId);
      throw new IllegalStateException("could not start the " + launch.job().getName() + " job: " + e.getMessage(), e);
    }
  }

  /** Restarts a failed or stopped job: only what did not complete runs again. */
  public synchronized long restart(long jobId) {
    JobInstance instance = instance(jobId);
    JobExecution last = repository.getLastJobExecution(instance);
    if (last == null) throw new JobStateException("job " + jobId + " has never run");
    BatchStatus status = last.getStatus();
    if (status == BatchStatus.COMPLETED) throw new JobStateException("job " + jobId + " completed: submit a new job to run it again");
    if (status.isRunning()) throw new JobStateException("job " + jobId + " is " + status + ": stop it before restarting");
    if (status == BatchStatus.ABANDONED) throw new JobStateException("job " + jobId + " was abandoned and cannot restart");
    checkNoConflict(last.getJobParameters().getString(JobParameterNames.TARGET), jobId);
    supersedeRunningPartitions(last);
    Job job = job(instance.getJobName());
    try {
      JobExecution e = operator.start(job, last.getJobParameters());
      log.info("restarted {} job {} (execution {})", job.getName(), jobId, e.getId());
      return e.getId();
    } catch (Exception e) {
      throw new JobStateException("job " + jobId + " cannot restart: " + e.getMessage());
    }
  }

  /**
   * Ends the partitions of the job's ended execution that are still marked running: its manager gave
   * up (its timeout) while workers ran them, or their process died. Spring Batch restarts a job only
   * when none of its step executions runs; the restart's executions of those slices take new epochs
   * of the partition fence, so a holder still running an old one has its next write refused
   * (PartitionFence) and its next checkpoint too (the step execution's version changed here).
   */
  private void supersedeRunningPartitions(JobExecution last) {
    for (StepExecution s : repository.getJobExecution(last.getId()).getStepExecutions()) {
      StepExecution now = s;
      for (int attempt = 0; now != null && now.getStatus().isRunning(); attempt++) {
        if (StalePartitions.fail(repository, now, "superseded by a restart of the job (the execution had ended while this partition ran); "
            + "its holder's writes are refused by the partition fence")) {
          log.warn("job {}: partition {} ({}) was still {} after its job execution ended: superseded by the restart", last.getJobInstanceId(),
              now.getStepName(), now.getId(), s.getStatus());
          break;
        }
        if (attempt > 100) throw new JobStateException("job " + last.getJobInstanceId() + ": partition " + now.getStepName()
            + " keeps changing; try the restart again");
        now = repository.getStepExecution(now.getId()); // its holder checkpointed meanwhile: look again
      }
    }
  }

  /** Asks a running job to stop at its next chunk boundary; it can be restarted later. */
  public void stop(long jobId) {
    JobInstance instance = instance(jobId);
    JobExecution last = repository.getLastJobExecution(instance);
    if (last == null || !last.isRunning()) throw new JobStateException("job " + jobId + " is not running");
    try {
      operator.stop(last);
    } catch (JobExecutionNotRunningException e) {
      throw new JobStateException("job " + jobId + " is not running");
    }
  }

  public JobInstance instance(long jobId) {
    JobInstance instance = repository.getJobInstance(jobId);
    if (instance == null) throw new UnknownJobException(jobId);
    return instance;
  }

  public List<Job> jobs() {
    return jobs;
  }

  private Job job(String name) {
    return jobs.stream().filter(j -> j.getName().equals(name)).findFirst()
        .orElseThrow(() -> new JobStateException("job type " + name + " is not known to this service version"));
  }

  /**
   * The newest earlier job that wrote this launch's table with the same owner: the output the job
   * replaces (or appends to). Empty when the table is new to the service.
   */
  public Optional<Long> previousOutput(Launch launch) {
    return lastWriter(launch.target()).filter(w -> w.owner().equals(launch.parameters().getString(JobParameterNames.OWNER)))
        .map(Writer::jobId);
  }

  private record Writer(long jobId, String owner) {}

  /** A job may write only a table no job of another owner wrote (issue 21: a training set replaced another GroupBy's table). */
  private void checkOwner(Launch launch) {
    String owner = launch.parameters().getString(JobParameterNames.OWNER);
    if (owner == null) return;
    lastWriter(launch.target()).filter(w -> !w.owner().equals(owner)).ifPresent(w -> {
      throw new TableOwnedException(launch.target().substring(launch.target().indexOf(':') + 1), w.jobId(), w.owner());
    });
  }

  /** The newest job (of the last {@value #OWNER_SCAN} per job type) whose target is this one. */
  private Optional<Writer> lastWriter(String target) {
    if (target == null || !target.startsWith("table:")) return Optional.empty();
    Writer newest = null;
    for (Job j : jobs) {
      for (JobInstance instance : repository.getJobInstances(j.getName(), 0, OWNER_SCAN)) {
        if (newest != null && instance.getInstanceId() < newest.jobId()) continue;
        JobExecution last = repository.getLastJobExecution(instance);
        if (last == null || !target.equals(last.getJobParameters().getString(JobParameterNames.TARGET))) continue;
        String owner = last.getJobParameters().getString(JobParameterNames.OWNER);
        newest = new Writer(instance.getInstanceId(), owner == null ? j.getName() : owner);
      }
    }
    return Optional.ofNullable(newest);
  }

  private void checkNoConflict(String target, long except) {
    if (target == null) return;
    for (Job j : jobs) {
      for (JobExecution running : repository.findRunningJobExecutions(j.getName())) {
        if (running.getJobInstanceId() != except && target.equals(running.getJobParameters().getString(JobParameterNames.TARGET))) {
          throw new JobConflictException(target, running.getJobInstanceId());
        }
      }
    }
  }
}
