package dev.tessera.fetcher.fetch;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.codec.IrFormatException;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIr;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.fetcher.store.StoredEntity;
import java.util.TreeMap;

/**
 * One entity's stored bytes to feature values as of {@code t} (DESIGN.md "Window semantics"), with
 * common-agg's {@link OnlineMerge}, plus what the upload marker says:
 *
 * <ul>
 *   <li>No batch IR but a marker {@code B}: the latest upload saw no events of this entity in any
 *       window before {@code B}, so it is served as an empty batch IR ending at {@code B} (only
 *       tiles from {@code B} on count, {@code meta.batchEnd = B}).
 *   <li>A batch IR older than the marker: the latest upload had nothing to write for this entity
 *       (no events in reach of any window), so the old IR is out of date and served the same way.
 *       Without this rule an inactive entity would read as {@code stale} forever.
 *   <li>{@code t} before the batch end: the batch IR already holds events at or after {@code t},
 *       which must not leak into a value as of {@code t}; the online store cannot answer that
 *       (the backfill can), so the entity fails with a message saying so.
 * </ul>
 *
 * Bytes that are not IRs of this GroupBy version fail that entity only. Pure and thread-safe.
 */
public final class EntityMerger {
  /** The result for one entity: merged values, or why there are none. */
  public sealed interface Outcome permits Merged, Failed {}

  public record Merged(OnlineResult result) implements Outcome {}

  /** {@code kind} is a stable snake_case metric tag, {@code message} the text the client sees. */
  public record Failed(String kind, String message) implements Outcome {}

  private final OnlineMerge merge;
  private final IrCodec codec;
  private final int groups;
  private volatile EmptyBatch emptyBatch;

  private record EmptyBatch(long end, byte[] bytes) {}

  public EntityMerger(CompiledGroupBy groupBy) {
    this.merge = new OnlineMerge(groupBy);
    this.codec = new IrCodec(groupBy);
    this.groups = groupBy.windowGroups().size();
  }

  /**
   * @param entity the entity's stored bytes
   * @param uploadMarker batch end of the latest completed upload of this version, or null
   * @param t values cover events with {@code ts < t}
   */
  public Outcome merge(StoredEntity entity, Long uploadMarker, long t) {
    if (entity.failed()) return new Failed("unreadable_key", entity.error());
    try {
      OnlineResult result = null;
      if (entity.batchIr() != null) {
        result = merge.mergeEncoded(entity.batchIr(), entity.tiles(), t);
        if (uploadMarker != null && result.batchEnd() < uploadMarker) result = null;
      }
      if (result == null) {
        byte[] batch = uploadMarker == null ? null : emptyBatch(uploadMarker);
        result = merge.mergeEncoded(batch, entity.tiles(), t);
      }
      if (result.batchEnd() != null && t < result.batchEnd()) {
        return new Failed("before_batch_end", "values as of " + t + " are not kept online: the stored batch data ends at "
            + result.batchEnd() + " and already holds later events (ask for atMillis >= " + result.batchEnd()
            + ", or use the backfill for the past)");
      }
      return new Merged(result);
    } catch (IrFormatException e) {
      return new Failed("corrupt_ir", "stored data of this key cannot be read: " + e.getMessage());
    } catch (RuntimeException e) {
      // bytes that pass the header checks but are damaged inside can fail in other ways
      return new Failed("corrupt_ir", "stored data of this key cannot be read: " + e);
    }
  }

  /** The encoded empty batch IR ending at {@code end}; the marker changes once a day, so one is cached. */
  private byte[] emptyBatch(long end) {
    EmptyBatch e = emptyBatch;
    if (e == null || e.end() != end) {
      BatchIr.Part[] parts = new BatchIr.Part[groups];
      for (int g = 0; g < groups; g++) parts[g] = new BatchIr.Part(null, new TreeMap<Long, RowIr>());
      e = new EmptyBatch(end, codec.encodeBatch(new BatchIr(end, parts)));
      emptyBatch = e;
    }
    return e.bytes();
  }
}
