package dev.tessera.batch.upload;

import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.warehouse.Warehouse;
import org.springframework.batch.core.job.Job;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The upload job: prepare (check sources), compute (partitioned by key hash: batch IRs to Redis,
 * pipelined), finish (reject limits, then the upload marker, last).
 */
@Configuration(proxyBeanMethods = false)
public class UploadJobConfiguration {
  public static final String JOB = "upload";
  static final String COMPUTE = JobSteps.computeStep(JOB);

  @Bean
  Job uploadJob(JobSteps steps, Warehouse warehouse, RedisConnectionFactory redis) {
    var p = steps.properties();
    if (redis instanceof LettuceConnectionFactory lettuce) {
      // Pipelines are flushed every N commands instead of after each one: one round trip per N keys.
      lettuce.setPipeliningFlushPolicy(LettuceConnection.PipeliningFlushPolicy.buffered(p.upload().pipeline()));
    }
    int samples = p.rejects().samples();
    return steps.job(JOB)
        .start(steps.tasklet("upload.prepare", UploadSteps.prepare(warehouse)))
        .next(steps.partitioned(COMPUTE, new UploadTask(warehouse, redis, p.upload().ttl(), p.upload().cleanupLookback(), samples)))
        .next(steps.tasklet("upload.finish", UploadSteps.finish(redis, steps.repository(), COMPUTE, samples)))
        .build();
  }

  @Bean
  UploadRequests uploadRequests(RequestSupport support, Job uploadJob, RedisConnectionFactory redis) {
    return new UploadRequests(support, uploadJob, redis);
  }
}
