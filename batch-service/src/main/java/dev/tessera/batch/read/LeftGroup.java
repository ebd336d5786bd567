package dev.tessera.batch.read;

import java.util.List;

/**
 * The left rows of one entity in a training set, sorted by time: their row ids (to join the
 * features back to every left column) and their times (the query times, events strictly before).
 *
 * <p>When the training set writes its output directly (its left table is the GroupBy's source and
 * holds nothing else), {@code values} carries each left row's own columns, aligned with
 * {@code times}, and {@code unqueried} the rows that get no features (no key or no time): they are
 * written as they are. Both are null otherwise.
 */
public record LeftGroup(List<Object> key, long[] rowIds, long[] times, Object[][] values, List<Object[]> unqueried) {

  public LeftGroup(List<Object> key, long[] rowIds, long[] times) {
    this(key, rowIds, times, null, null);
  }
}
