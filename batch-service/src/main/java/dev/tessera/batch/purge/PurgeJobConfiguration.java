package dev.tessera.batch.purge;

import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.support.Definitions;
import org.springframework.batch.core.job.Job;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The purge job: one tasklet step that deletes a retired GroupBy version's Redis keys. It records no
 * GroupBy definition: it needs only the name and version, and the registry may no longer have the
 * version's definition.
 */
@Configuration(proxyBeanMethods = false)
public class PurgeJobConfiguration {
  public static final String JOB = "purge";
  /** Keys per SCAN page and per UNLINK: big enough for few round trips, small enough not to stall Redis. */
  static final int BATCH = 500;

  @Bean
  Job purgeJob(JobSteps steps, RedisConnectionFactory redis) {
    return steps.jobWithoutDefinition(JOB)
        .start(steps.tasklet("purge.delete", new PurgeStep(new VersionKeys(redis, BATCH), steps.metrics(), steps.failures())))
        .build();
  }

  @Bean
  PurgeRequests purgeRequests(RequestSupport support, Definitions definitions, Job purgeJob) {
    return new PurgeRequests(support, definitions, purgeJob);
  }
}
