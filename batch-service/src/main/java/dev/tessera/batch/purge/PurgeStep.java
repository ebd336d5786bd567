package dev.tessera.batch.purge;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.batch.jobs.JobMetrics;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobResults;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Deletes a GroupBy version's keys: its batch IRs and tile hashes ({@link RedisKeys#versionPattern})
 * and its upload marker. Deleting is idempotent, so a restart simply scans again; the result counts
 * the keys the completing attempt deleted (a purge of a version already purged deletes 0).
 */
final class PurgeStep implements Tasklet {
  private static final Logger log = LoggerFactory.getLogger(PurgeStep.class);

  private final VersionKeys keys;
  private final JobMetrics metrics;

  PurgeStep(VersionKeys keys, JobMetrics metrics) {
    this.keys = keys;
    this.metrics = metrics;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
    JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
    JobParameters p = execution.getJobParameters();
    String groupBy = p.getString(JobParameterNames.GROUP_BY);
    int version = Math.toIntExact(p.getLong(JobParameterNames.VERSION));
    String pattern = RedisKeys.versionPattern(groupBy, version);
    String marker = RedisKeys.uploadKey(groupBy, version);
    long deleted = keys.delete(pattern, marker);
    contribution.incrementWriteCount(deleted);
    metrics.keysDeleted(PurgeJobConfiguration.JOB, groupBy, deleted);
    log.info("purged {} version {}: {} Redis keys deleted ({} and {})", groupBy, version, deleted, pattern, marker);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("pattern", pattern);
    result.put("uploadKey", marker);
    result.put("keysDeleted", deleted);
    JobResults.put(execution, result);
    return RepeatStatus.FINISHED;
  }
}
