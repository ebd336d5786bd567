package dev.tessera.batch.upload;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Writes one chunk of entities' batch IRs to Redis in one pipelined round trip per
 * {@code tessera.batch.upload.pipeline} commands: SET of the encoded IR (overwriting any earlier
 * upload: re-running is idempotent), or DEL when the entity has nothing left in any window (so the
 * fetcher never serves an old, stale IR for it). Keys and bytes come from common-agg's codec only.
 */
final class BatchIrUploader implements PartitionTask.Output {
  static final String DELETED = "keysDeleted";
  /** How long the Redis writes of one chunk may take on a cluster. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final BatchIrWrites redis;
  private final UploadPlan plan;
  private final IrCodec codec;
  private final List<BatchIrWrites.Write> pending = new ArrayList<>();
  private long deleted;

  BatchIrUploader(RedisConnectionFactory redis, UploadPlan plan, Duration ttl) {
    this.redis = new BatchIrWrites(redis, ttl, WRITE_TIMEOUT);
    this.plan = plan;
    this.codec = new IrCodec(plan.groupBy());
  }

  @Override
  public void accept(Entity entity) {
    BatchIrBuilder builder = new BatchIrBuilder(plan.groupBy(), plan.batchEnd());
    builder.addAll(entity.rows());
    byte[] key = RedisKeys.batchKey(plan.groupBy().name(), plan.version(), entity.key()).getBytes(StandardCharsets.UTF_8);
    pending.add(new BatchIrWrites.Write(key, builder.isEmpty() ? null : codec.encodeBatch(builder.build())));
  }

  @Override
  public long commit() {
    if (pending.isEmpty()) return 0;
    redis.write(pending);
    long written = pending.stream().filter(w -> w.value() != null).count();
    deleted += pending.size() - written;
    pending.clear();
    return written;
  }

  /** Entities whose old batch IR was deleted (they have no events in any window as of B). */
  @Override
  public Map<String, Long> drainCounters() {
    Map<String, Long> out = Map.of(DELETED, deleted);
    deleted = 0;
    return out;
  }

  @Override
  public void close() {
    pending.clear();
  }
}
