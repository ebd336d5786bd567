package dev.tessera.batch.join;

import dev.tessera.support.Definitions;
import dev.tessera.batch.jobs.DefinitionHandoff;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.warehouse.Warehouse;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Join training set job (DESIGN-joins.md "Offline"): prepare (the left rows into the spill, read
 * once), compute (per part, partitioned by that part's key hash: features per left row id, each
 * part's source read once), derive (partitioned by row id range: the derivations), finish (one output
 * row per left row: its columns, the parts' features in part order, the derived values; export).
 * Compute and derive are Spring Batch chunk steps with step-scoped readers and writers.
 */
@Configuration(proxyBeanMethods = false)
public class JoinTrainingSetJobConfiguration {
  public static final String JOB = "join-training-set";
  static final String COMPUTE = JobSteps.computeStep(JOB);
  static final String DERIVE = JOB + ".derive";
  /** Rows per block read by a derive partition, entities per batch read by a compute partition (one item of their chunks). */
  static final int ITEM = 1000;

  @Bean
  JobJoin jobJoin(DefinitionHandoff handoff, Definitions definitions, JobSteps steps) {
    return new JobJoin(handoff, definitions, steps.repository());
  }

  @Bean
  @StepScope
  PartFeatures joinPartFeatures(@Value("#{stepExecution}") StepExecution step, Warehouse warehouse, JobSteps steps) {
    return new PartFeatures(warehouse, step, steps.properties().rejects().samples(), steps.failures(), steps.metrics(), perItem(steps));
  }

  @Bean
  @StepScope
  DerivedValues joinDerivedValues(@Value("#{stepExecution}") StepExecution step, Warehouse warehouse, JobSteps steps) {
    return new DerivedValues(warehouse, step, perItem(steps), steps.failures());
  }

  /** Entities (compute) or rows (derive) per item: a chunk of {@code chunk-entities} is a few items. */
  private static int perItem(JobSteps steps) {
    return Math.min(ITEM, steps.properties().chunkEntities());
  }

  @Bean
  Job joinTrainingSetJob(JobSteps steps, Warehouse warehouse, JobJoin jobJoin, PartFeatures joinPartFeatures,
      DerivedValues joinDerivedValues) {
    int samples = steps.properties().rejects().samples();
    int items = Math.max(1, steps.properties().chunkEntities() / perItem(steps));
    return steps.job(JOB)
        .listener(jobJoin)
        .start(steps.tasklet(JOB + ".prepare", JoinSteps.prepare(warehouse)))
        .next(steps.partitionedChunks(COMPUTE, new JoinPartitioner(false), items, joinPartFeatures, joinPartFeatures))
        .next(steps.partitionedChunks(DERIVE, new JoinPartitioner(true), items, joinDerivedValues, joinDerivedValues))
        .next(steps.tasklet(JOB + ".finish", JoinSteps.finish(warehouse, steps.repository(), samples)))
        .build();
  }

  @Bean
  JoinTrainingSetRequests joinTrainingSetRequests(RequestSupport support, Definitions definitions, Job joinTrainingSetJob) {
    return new JoinTrainingSetRequests(support, definitions, joinTrainingSetJob);
  }
}
