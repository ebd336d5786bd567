package dev.tessera.batch.jobs;

import dev.tessera.batch.warehouse.PartitionFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * The listener of every partition's worker step that makes it a fenced holding: before the step
 * opens its reader and output (so before the output clears anything past the checkpoint), it takes
 * the next epoch of the partition's {@link PartitionFence} (its slice: job instance and step name,
 * the same for a take-over and for a restart) and binds it to the thread, where every warehouse
 * commit of the partition checks it. A holder superseded meanwhile has its chunk rolled back; its
 * step fails, and says so here.
 */
final class FenceHolding implements StepExecutionListener {
  private static final Logger log = LoggerFactory.getLogger(FenceHolding.class);

  private final PartitionFence fence;

  FenceHolding(PartitionFence fence) {
    this.fence = fence;
  }

  @Override
  public void beforeStep(StepExecution step) {
    PartitionFence.Holding h = fence.take(step.getJobExecution().getJobInstance().getInstanceId(), step.getStepName());
    PartitionFence.hold(h);
    if (h.epoch() > 1) log.info("{} ({}): holding epoch {} of its partition fence; earlier holders' writes are refused", step.getStepName(),
        step.getId(), h.epoch());
  }

  @Override
  public ExitStatus afterStep(StepExecution step) {
    PartitionFence.release();
    for (Throwable t : step.getFailureExceptions()) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof PartitionFence.FencedException f) {
          log.warn("{} ({}) stopped by its partition fence, nothing of its last chunk written: {}", step.getStepName(), step.getId(),
              f.getMessage());
          return null;
        }
      }
    }
    return null;
  }
}
