package dev.tessera.batch.read;

import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the key-ordered streams of a GroupBy's sources into entities: the smallest pending key
 * next, with its rows from every source, sorted by time. Memory holds one entity at a time.
 */
public final class EntityReader implements AutoCloseable {
  private final List<SourceCursor> cursors;

  public EntityReader(List<SourceCursor> cursors) {
    this.cursors = List.copyOf(cursors);
  }

  /** The next entity with at least one accepted row, or null at the end. */
  public Entity next() {
    List<Object> min = null;
    for (SourceCursor c : cursors) {
      List<Object> k = c.peekKey();
      if (k != null && (min == null || KeyOrder.compare(k, min) < 0)) min = k;
    }
    if (min == null) return null;
    List<Row> rows = new ArrayList<>();
    for (SourceCursor c : cursors) c.drain(min, rows);
    sortByTime(rows);
    return new Entity(min, rows, null);
  }

  /** The rows of entity {@code key} (possibly none), skipping the entities before it. */
  public List<Row> rowsFor(List<Object> key) {
    List<Row> rows = new ArrayList<>();
    for (SourceCursor c : cursors) {
      c.skipBefore(key);
      c.drain(key, rows);
    }
    sortByTime(rows);
    return rows;
  }

  /** Reads every remaining row so that its counts are complete (a training set's tail after the last left key). */
  public void drainAll() {
    while (next() != null) {
      // rows of entities no left row asks for: read for the counts only
    }
  }

  /** Rows of one source arrive sorted by time already; several sources (or a time expression) need a sort. */
  static void sortByTime(List<Row> rows) {
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i).ts() < rows.get(i - 1).ts()) {
        PointInTime.sortByTime(rows);
        return;
      }
    }
  }

  public List<SourceCursor.State> states() {
    return cursors.stream().map(SourceCursor::state).toList();
  }

  @Override
  public void close() {
    cursors.forEach(SourceCursor::close);
  }
}
