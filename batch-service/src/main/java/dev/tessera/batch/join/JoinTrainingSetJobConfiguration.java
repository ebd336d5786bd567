package dev.tessera.batch.join;

import dev.tessera.support.Definitions;
import dev.tessera.batch.jobs.DefinitionHandoff;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.PartitionChunkStep;
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
 * Compute runs on the job template ({@link PartitionChunkStep}); derive is a chunk step with a
 * step-scoped reader and writer.
 */
@Configuration(proxyBeanMethods = false)
public class JoinTrainingSetJobConfiguration {
  public static final String JOB = "join-training-set";
  static final String COMPUTE = JobSteps.computeStep(JOB);
  static final String DERIVE = JOB + ".derive";

  @Bean
  JobJoin jobJoin(DefinitionHandoff handoff, Definitions definitions, JobSteps steps) {
    return new JobJoin(handoff, definitions, steps.repository());
  }

  @Bean
  @StepScope
  DerivedValues joinDerivedValues(@Value("#{stepExecution}") StepExecution step, Warehouse warehouse, JobSteps steps) {
    return new DerivedValues(warehouse, step, PartitionChunkStep.perItem(steps.properties().chunkEntities()), steps.failures());
  }

  @Bean
  Job joinTrainingSetJob(JobSteps steps, Warehouse warehouse, JobJoin jobJoin, DerivedValues joinDerivedValues) {
    int samples = steps.properties().rejects().samples();
    int items = PartitionChunkStep.itemsPerChunk(steps.properties().chunkEntities());
    return steps.job(JOB)
        .listener(jobJoin)
        .start(steps.tasklet(JOB + ".prepare", JoinSteps.prepare(warehouse)))
        .next(steps.partitioned(COMPUTE, new JoinPartitioner(false), new PartFeatures(warehouse, samples)))
        .next(steps.partitionedChunks(DERIVE, new JoinPartitioner(true), items, joinDerivedValues, joinDerivedValues))
        .next(steps.tasklet(JOB + ".finish", JoinSteps.finish(warehouse, steps.repository(), samples,
            steps.properties().exportDir().toAbsolutePath().normalize())))
        .build();
  }

  @Bean
  JoinTrainingSetRequests joinTrainingSetRequests(RequestSupport support, Definitions definitions, Job joinTrainingSetJob) {
    return new JoinTrainingSetRequests(support, definitions, joinTrainingSetJob);
  }
}
