package dev.tessera.batch.purge;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.JobMetrics;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobResults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
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
  private final FailurePoints failures;

  PurgeStep(VersionKeys keys, JobMetrics metrics, FailurePoints failures) {
    this.keys = keys;
    this.metrics = metrics;
    this.failures = failures;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
    StepExecution step = chunk.getStepContext().getStepExecution();
    JobExecution execution = step.getJobExecution();
    JobParameters p = execution.getJobParameters();
    String groupBy = p.getString(JobParameterNames.GROUP_BY);
    int version = Math.toIntExact(p.getLong(JobParameterNames.VERSION));
    String pattern = RedisKeys.versionPattern(groupBy, version);
    String marker = RedisKeys.uploadKey(groupBy, version);
    // The marker goes first, the reverse of an upload (which writes it last): a version half purged
    // reads as never uploaded, never as uploaded with entities missing.
    long deleted = keys.delete(pattern, List.of(marker), () -> failures.reached(FailurePoints.PURGE_BATCH_UNLINKED, step));
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
