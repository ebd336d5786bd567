package dev.tessera.batch.trainingset;

import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.shuffle.ShuffleSteps;
import dev.tessera.batch.warehouse.Warehouse;
import org.springframework.batch.core.job.Job;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The point-in-time training set job: prepare (number the left rows), scatter (the lake shuffle, when
 * the job has one), compute (partitioned by key hash: features as of each left row's time), finish
 * (join back to the left columns, export).
 */
@Configuration(proxyBeanMethods = false)
public class TrainingSetJobConfiguration {
  public static final String JOB = "training-set";
  static final String COMPUTE = JobSteps.computeStep(JOB);

  @Bean
  Job trainingSetJob(JobSteps steps, Warehouse warehouse) {
    int samples = steps.properties().rejects().samples();
    return steps.job(JOB)
        .listener(ShuffleSteps.cleanup(warehouse))
        .start(steps.tasklet("training-set.prepare", TrainingSetSteps.prepare(warehouse)))
        .next(ShuffleSteps.scatter(steps, JOB, warehouse, TrainingSetTask.SHUFFLE_INPUT))
        .next(steps.partitioned(COMPUTE, new TrainingSetTask(warehouse, samples)))
        .next(steps.tasklet("training-set.finish", TrainingSetSteps.finish(warehouse, steps.repository(), COMPUTE, samples,
            steps.properties().exportDir().toAbsolutePath().normalize())))
        .build();
  }

  @Bean
  TrainingSetRequests trainingSetRequests(RequestSupport support, Job trainingSetJob) {
    return new TrainingSetRequests(support, trainingSetJob);
  }
}
