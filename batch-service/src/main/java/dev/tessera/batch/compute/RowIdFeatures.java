package dev.tessera.batch.compute;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.warehouse.ChunkWriter;

/**
 * The output of a point-in-time partition whose features are joined back to the left rows later:
 * each left row's features as of its time (events strictly before it, {@link PointInTime}) under its
 * row id, one warehouse transaction per chunk (a GroupBy training set's features table, a Join
 * part's table).
 */
public final class RowIdFeatures implements PartitionTask.Output {
  private final PointInTime pointInTime;
  private final FeatureValues values;
  private final ChunkWriter writer;
  private final Object[] row;

  /** @param writer a table of the row id, then one column per feature of {@code groupBy} */
  public RowIdFeatures(CompiledGroupBy groupBy, ChunkWriter writer) {
    this.pointInTime = new PointInTime(groupBy);
    this.values = new FeatureValues(groupBy);
    this.writer = writer;
    this.row = new Object[writer.width()];
  }

  @Override
  public void accept(Entity entity) {
    long[] rids = entity.left().rowIds();
    pointInTime.compute(entity.rows(), entity.left().times(), (index, t, features) -> {
      row[0] = rids[index];
      values.copyInto(features, row, 1);
      writer.append(row);
    });
  }

  @Override
  public long commit() {
    return writer.commit();
  }

  @Override
  public void close() {
    writer.close();
  }
}
