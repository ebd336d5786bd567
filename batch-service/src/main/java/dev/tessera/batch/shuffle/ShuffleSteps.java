package dev.tessera.batch.shuffle;

import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.warehouse.Warehouse;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.Step;

/** The lake shuffle's parts of a job: the scatter step (before the keyed step) and the spill folder's cleanup. */
public final class ShuffleSteps {
  private ShuffleSteps() {}

  /** The step name of a job's scatter. */
  public static String scatterStep(String job) {
    return job + ".scatter";
  }

  /**
   * The partitioned scatter step of {@code job}: partitions over the files of its Parquet sources
   * ({@link ScatterPartitioner}), each spilling its files by key bucket; none when the job does not shuffle.
   */
  public static Step scatter(JobSteps steps, String job, Warehouse warehouse, ShuffleInput input) {
    return steps.partitionedTasklet(scatterStep(job), new ScatterPartitioner(warehouse, input),
        new ScatterTasklet(warehouse, input, steps.failures()));
  }

  /** Deletes the spill folder when the job completes; a failed job keeps it for its restart. */
  public static JobExecutionListener cleanup(Warehouse warehouse) {
    return new JobExecutionListener() {
      @Override
      public void afterJob(JobExecution execution) {
        if (execution.getStatus() != BatchStatus.COMPLETED) return;
        Shuffle shuffle = Shuffle.of(execution, warehouse);
        if (shuffle != null) shuffle.delete();
      }
    };
  }
}
