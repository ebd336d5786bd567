package dev.tessera.batch.read;

import dev.tessera.agg.row.Row;
import java.util.List;

/**
 * One entity's accepted rows, sorted by event time, and (for a training set) its left rows.
 *
 * @param left the left rows of this entity, or null when the job has no left table
 */
public record Entity(List<Object> key, List<Row> rows, LeftGroup left) {}
