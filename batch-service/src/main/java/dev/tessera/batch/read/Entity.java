package dev.tessera.batch.read;

import dev.tessera.agg.row.Row;
import java.util.List;
import java.util.Map;

/**
 * One entity's accepted rows, sorted by event time, and (for a training set) its left rows.
 *
 * @param left the left rows of this entity, or null when the job has no left table
 * @param rowsByVersion the same entity's rows accepted under other versions of the GroupBy (their
 *     own wheres and selects), by version; empty unless a job reads several versions (consistency)
 */
public record Entity(List<Object> key, List<Row> rows, LeftGroup left, Map<Integer, List<Row>> rowsByVersion) {

  public Entity {
    rowsByVersion = rowsByVersion == null ? Map.of() : rowsByVersion;
  }

  public Entity(List<Object> key, List<Row> rows, LeftGroup left) {
    this(key, rows, left, Map.of());
  }
}
