package dev.tessera.batch.upload;

import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.jobs.Readers;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.warehouse.Warehouse;
import java.time.Duration;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * One partition of an upload: its entities' events before B (from the earliest window start, plus
 * the cleanup lookback), one batch IR per entity, pipelined to Redis. Redis writes overwrite whole
 * values, so a restarted partition simply writes its entities again: no slice needs clearing.
 */
final class UploadTask implements PartitionTask {
  private final Warehouse warehouse;
  private final RedisConnectionFactory redis;
  private final Duration ttl;
  private final Duration lookback;
  private final int maxSamples;

  UploadTask(Warehouse warehouse, RedisConnectionFactory redis, Duration ttl, Duration lookback, int maxSamples) {
    this.warehouse = warehouse;
    this.redis = redis;
    this.ttl = ttl;
    this.lookback = lookback;
    this.maxSamples = maxSamples;
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    UploadPlan plan = UploadPlan.of(step.getJobExecution());
    ReadWindow window = plan.readWindow(lookback);
    return Readers.events(EventStreams.open(warehouse, plan.groupBy(), plan.sources(), window.from(), window.to(), partition,
        resume == null ? null : resume.reader().sources(), null, maxSamples));
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    return new BatchIrUploader(redis, UploadPlan.of(step.getJobExecution()), ttl);
  }
}
