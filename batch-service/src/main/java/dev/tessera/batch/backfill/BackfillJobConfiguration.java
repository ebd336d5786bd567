package dev.tessera.batch.backfill;

import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.shuffle.ShuffleSteps;
import dev.tessera.batch.warehouse.Warehouse;
import org.springframework.batch.core.job.Job;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The backfill job: prepare (check sources, create the output table), scatter (the lake shuffle, when
 * the job has one: Parquet sources spilled by key bucket), compute (partitioned by key hash: daily
 * snapshots per entity), finish (reject limits, Parquet export, result).
 */
@Configuration(proxyBeanMethods = false)
public class BackfillJobConfiguration {
  public static final String JOB = "backfill";
  static final String COMPUTE = JobSteps.computeStep(JOB);

  @Bean
  Job backfillJob(JobSteps steps, Warehouse warehouse) {
    int samples = steps.properties().rejects().samples();
    return steps.job(JOB)
        .listener(ShuffleSteps.cleanup(warehouse))
        .start(steps.tasklet("backfill.prepare", BackfillSteps.prepare(warehouse)))
        .next(ShuffleSteps.scatter(steps, JOB, warehouse, BackfillTask.SHUFFLE_INPUT))
        .next(steps.partitioned(COMPUTE, new BackfillTask(warehouse, samples)))
        .next(steps.tasklet("backfill.finish", BackfillSteps.finish(warehouse, steps.repository(), COMPUTE, samples,
            steps.properties().exportDir().toAbsolutePath().normalize())))
        .build();
  }

  @Bean
  BackfillRequests backfillRequests(RequestSupport support, Job backfillJob) {
    return new BackfillRequests(support, backfillJob);
  }
}
