package dev.tessera.batch.jobs;

import java.time.LocalDateTime;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Ends a partition whose job execution has ended (its manager gave up): one nobody will run (no
 * worker took it before), or one a restart supersedes while a worker may still run it (the
 * restart's execution of its slice takes a new epoch of the partition fence, which refuses the old
 * holder's writes). Marked FAILED, the job view says why and a restart of the job runs it again as a
 * new step execution; left STARTING, a late worker would run it beside that new one.
 */
public final class StalePartitions {
  private StalePartitions() {}

  /** Marks {@code step} FAILED with {@code why}; false when someone changed it first (then look again). */
  public static boolean fail(JobRepository repository, StepExecution step, String why) {
    step.setStatus(BatchStatus.FAILED);
    step.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
    step.setEndTime(LocalDateTime.now());
    try {
      repository.update(step);
      return true;
    } catch (OptimisticLockingFailureException e) {
      return false;
    }
  }
}
