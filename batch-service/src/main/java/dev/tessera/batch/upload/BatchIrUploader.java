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
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Writes one chunk of entities' batch IRs to Redis in one pipelined round trip per
 * {@code tessera.batch.upload.pipeline} commands: SET of the encoded IR (overwriting any earlier
 * upload: re-running is idempotent), or DEL when the entity has nothing left in any window (so the
 * fetcher never serves an old, stale IR for it). Keys and bytes come from common-agg's codec only.
 */
final class BatchIrUploader implements PartitionTask.Output {
  static final String DELETED = "keysDeleted";

  private record Write(byte[] key, byte[] value) {}

  private final RedisConnectionFactory redis;
  private final UploadPlan plan;
  private final IrCodec codec;
  private final Expiration expiration;
  private final List<Write> pending = new ArrayList<>();
  private long deleted;

  BatchIrUploader(RedisConnectionFactory redis, UploadPlan plan, Duration ttl) {
    this.redis = redis;
    this.plan = plan;
    this.codec = new IrCodec(plan.groupBy());
    this.expiration = ttl.isZero() ? Expiration.persistent() : Expiration.from(ttl);
  }

  @Override
  public void accept(Entity entity) {
    BatchIrBuilder builder = new BatchIrBuilder(plan.groupBy(), plan.batchEnd());
    builder.addAll(entity.rows());
    byte[] key = RedisKeys.batchKey(plan.groupBy().name(), plan.version(), entity.key()).getBytes(StandardCharsets.UTF_8);
    pending.add(new Write(key, builder.isEmpty() ? null : codec.encodeBatch(builder.build())));
  }

  @Override
  public long commit() {
    if (pending.isEmpty()) return 0;
    long written = 0;
    try (RedisConnection c = redis.getConnection()) {
      c.openPipeline();
      for (Write w : pending) {
        if (w.value() == null) {
          c.keyCommands().del(w.key());
        } else {
          c.stringCommands().set(w.key(), w.value(), expiration, RedisStringCommands.SetOption.upsert());
          written++;
        }
      }
      c.closePipeline();
    }
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
