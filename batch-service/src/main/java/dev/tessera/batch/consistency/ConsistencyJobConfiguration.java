package dev.tessera.batch.consistency;

import dev.tessera.batch.definitions.GroupByDefinitions;
import dev.tessera.batch.definitions.RegistryVersions;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.JobSubmitter;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.warehouse.Warehouse;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consistency job: prepare (the log rows to check, the late events), compute (partitioned by
 * key hash: recompute at each logged t and compare), finish (the report tables and the result).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsistencyProperties.class)
public class ConsistencyJobConfiguration {
  public static final String JOB = "consistency";
  static final String COMPUTE = JobSteps.computeStep(JOB);

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
  Job consistencyJob(JobSteps steps, Warehouse warehouse, GroupByDefinitions definitions, ConsistencyMetrics metrics,
      RegistryVersions registryVersions) {
    int samples = steps.properties().rejects().samples();
    return steps.job(JOB)
        .start(steps.tasklet("consistency.prepare", ConsistencySteps.prepare(warehouse, definitions, registryVersions)))
        .next(steps.partitioned(COMPUTE, new ConsistencyTask(warehouse, samples)))
        .next(steps.tasklet("consistency.finish", ConsistencySteps.finish(warehouse, steps.repository(), COMPUTE, samples, metrics)))
        .build();
  }

  @Bean
  ConsistencyRequests consistencyRequests(RequestSupport support, ConsistencyProperties properties, Job consistencyJob) {
    return new ConsistencyRequests(support, properties, consistencyJob);
  }

  /** The daily run, only with {@code tessera.batch.consistency.schedule=true}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "tessera.batch.consistency.schedule", havingValue = "true")
  ConsistencySchedule consistencySchedule(ConsistencyProperties properties, GroupByDefinitions definitions, ConsistencyRequests requests,
      JobSubmitter submitter) {
    return new ConsistencySchedule(properties.cron(), definitions, requests, submitter, Clock.systemUTC());
  }

  @Bean
  ConsistencyReports consistencyReports(Warehouse warehouse, RequestSupport support) {
    return new ConsistencyReports(warehouse, support);
  }
}
