package dev.tessera.batch.remote;

import dev.tessera.batch.jobs.StalePartitions;
import dev.tessera.batch.jobs.PartitionReport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Runs one partition request on this worker, by {@link Takeover}'s rule: claims the partition (its
 * holder, this worker, written into its step execution context, with the step execution's version as
 * a compare-and-set, so two workers never both claim it), then Spring Batch's
 * {@link StepExecutionRequestHandler} runs the step. A taken-over partition runs in the same step
 * execution as its dead holder: its context holds the holder's last checkpoint, so the chunk step
 * resumes after it and the output first removes what the holder committed past that checkpoint
 * (PartitionTask#openOutput): nothing twice, nothing lost.
 */
public final class PartitionWorker {
  /** Where a partition's step execution context names the worker that runs it (the job view shows it). */
  public static final String HOLDER = PartitionReport.WORKER;
  private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

  private final JobRepository repository;
  private final StepExecutionRequestHandler handler;
  private final String me;
  private final Supplier<Set<String>> live;
  private final Duration recheck;
  private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();

  public PartitionWorker(JobRepository repository, StepExecutionRequestHandler handler, String me, Supplier<Set<String>> live,
      Duration recheck) {
    this.repository = repository;
    this.handler = handler;
    this.me = me;
    this.live = live;
    this.recheck = recheck;
  }

  /** Returns when the partition has ended here or elsewhere (its request may then be acknowledged). */
  public void run(StepExecutionRequest request) throws InterruptedException {
    while (true) {
      StepExecution step = repository.getStepExecution(request.getStepExecutionId());
      if (step == null) {
        log.warn("partition request {}: no such step execution in the job repository (another repository?); dropped", request);
        return;
      }
      String holder = Takeover.holder(step.getExecutionContext(), step.getId());
      Set<String> alive = holder == null ? Set.of()
          : holder.equals(me) ? (runningHere.contains(step.getId()) ? Set.of(me) : Set.of())
          : live.get();
      switch (Takeover.decide(step.getStatus(), holder, alive, step.getJobExecution().getStatus())) {
        case DONE -> {
          log.info("partition {} ({}) has already ended: {}", step.getStepName(), step.getId(), step.getStatus());
          return;
        }
        case WAIT -> Thread.sleep(recheck.toMillis());
        case ORPHANED -> {
          if (StalePartitions.fail(repository, step, "its job execution had ended (" + step.getJobExecution().getStatus()
              + ") before a worker took it; restarting the job runs this partition again")) return;
        }
        case RUN -> {
          if (!runningHere.add(step.getId())) {
            Thread.sleep(recheck.toMillis());
            continue;
          }
          try {
            if (!claim(step, holder)) continue;
            StepExecution ended = handler.handle(request);
            log.info("partition {} ({}) ended here: {}", ended.getStepName(), ended.getId(), ended.getStatus());
            return;
          } finally {
            runningHere.remove(step.getId());
          }
        }
      }
    }
  }

  /** Records this worker as the holder; false when another worker changed the step execution first. */
  private boolean claim(StepExecution step, String previous) {
    step.getExecutionContext().putString(HOLDER, me);
    step.getExecutionContext().putLong(Takeover.HOLDING, step.getId());
    try {
      repository.update(step);
    } catch (OptimisticLockingFailureException e) {
      return false;
    }
    repository.updateExecutionContext(step);
    if (previous != null) {
      log.warn("taking over partition {} ({}) from worker {}, which is no longer alive: resuming from its last checkpoint",
          step.getStepName(), step.getId(), previous);
    }
    return true;
  }
}
