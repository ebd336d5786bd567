package dev.tessera.batch.consistency;

import dev.tessera.support.Definitions;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.join.JobJoin;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.warehouse.Warehouse;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consistency job, of a GroupBy or of a Join (a job with the parameter {@code join}): prepare
 * (the log rows to check, the late events), compute (partitioned by key hash: recompute at each logged
 * t and compare; a Join's partitions do so for each part of each Join version in turn, each part sliced
 * by its own entity key), derive (a Join's only, partitioned by row id range: its derived columns
 * rebuilt from the recomputed features and compared), finish (the report tables and the result).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsistencyProperties.class)
public class ConsistencyJobConfiguration {
  public static final String JOB = "consistency";
  static final String COMPUTE = JobSteps.computeStep(JOB);
  static final String DERIVE = JOB + ".derive";
  /** Rows per block read by a derive partition (a block is one item of its chunks). */
  static final int DERIVE_BLOCK = 1000;

  @Bean
  ConsistencyMetrics consistencyMetrics(MeterRegistry registry) {
    return new ConsistencyMetrics(registry);
  }

  /** The gauges of the runs before this start, once the job repository is up. */
  @Bean
  org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationReadyEvent> consistencyMetricsRestore(
      ConsistencyMetrics metrics, dev.tessera.batch.api.JobViews views) {
    return event -> {
      try {
        metrics.restore(views);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ConsistencyMetrics.class).warn("consistency gauges not restored: {}", e.toString());
      }
    };
  }

  @Bean
  @StepScope
  DerivedCheck consistencyDerivedCheck(@Value("#{stepExecution}") StepExecution step, Warehouse warehouse, JobSteps steps) {
    return new DerivedCheck(warehouse, step, blockRows(steps), steps.failures());
  }

  private static int blockRows(JobSteps steps) {
    return Math.min(DERIVE_BLOCK, steps.properties().chunkEntities());
  }

  @Bean
  Job consistencyJob(JobSteps steps, Warehouse warehouse, Definitions definitions, ConsistencyMetrics metrics, JobJoin jobJoin,
      DerivedCheck consistencyDerivedCheck) {
    int samples = steps.properties().rejects().samples();
    int chunk = steps.properties().chunkEntities();
    PartitionTask compute = either(new ConsistencyTask(warehouse, samples), new JoinConsistencyTask(warehouse, samples));
    return steps.job(JOB)
        .listener(jobJoin)
        .start(steps.tasklet("consistency.prepare", ConsistencySteps.either(
            ConsistencySteps.prepare(warehouse, definitions),
            JoinConsistencySteps.prepare(warehouse, definitions))))
        .next(steps.partitioned(COMPUTE, compute))
        .next(steps.partitionedChunks(DERIVE, derivePartitions(), Math.max(1, chunk / blockRows(steps)), consistencyDerivedCheck,
            consistencyDerivedCheck))
        .next(steps.tasklet("consistency.finish", ConsistencySteps.either(
            ConsistencySteps.finish(warehouse, steps.repository(), COMPUTE, samples, metrics),
            JoinConsistencySteps.finish(warehouse, steps.repository(), samples, metrics))))
        .build();
  }

  /** The compute step's task: the GroupBy's or the Join's, by the job's parameters. */
  private static PartitionTask either(PartitionTask groupBy, PartitionTask join) {
    return new PartitionTask() {
      private PartitionTask of(StepExecution step) {
        return JoinConsistencyPlan.isJoin(step.getJobExecution()) ? join : groupBy;
      }

      @Override
      public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
        return of(step).openReader(step, partition, resume);
      }

      @Override
      public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
        return of(step).openOutput(step, partition, resume);
      }
    };
  }

  /** The derive step's partitions: the compute step's slices for a Join's job, none for a GroupBy's. */
  private static Partitioner derivePartitions() {
    KeyHashPartitioner slices = new KeyHashPartitioner();
    return gridSize -> {
      var step = StepSynchronizationManager.getContext();
      if (step == null || !JoinConsistencyPlan.isJoin(step.getStepExecution().getJobExecution())) {
        return Map.<String, ExecutionContext>of();
      }
      return slices.partition(gridSize);
    };
  }

  @Bean
  ConsistencyRequests consistencyRequests(RequestSupport support, ConsistencyProperties properties, Definitions definitions,
      Job consistencyJob) {
    return new ConsistencyRequests(support, properties, definitions, consistencyJob);
  }

  /** The daily run, only with {@code tessera.batch.consistency.schedule=true}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "tessera.batch.consistency.schedule", havingValue = "true")
  ConsistencySchedule consistencySchedule(ConsistencyProperties properties, Definitions definitions, ConsistencyRequests requests,
      JobSubmitter submitter) {
    return new ConsistencySchedule(properties.cron(), definitions, requests, submitter, Clock.systemUTC());
  }

  @Bean
  ConsistencyReports consistencyReports(Warehouse warehouse, RequestSupport support, Definitions definitions) {
    return new ConsistencyReports(warehouse, support, definitions);
  }
}
