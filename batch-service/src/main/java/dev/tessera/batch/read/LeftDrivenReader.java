package dev.tessera.batch.read;

import dev.tessera.agg.row.Row;
import java.util.List;

/**
 * A training set's entities: one per left key, with that key's left rows and its events (possibly
 * none). Events of keys no left row asks for are only counted.
 */
public final class LeftDrivenReader implements AutoCloseable {
  private final LeftCursor left;
  private final EntityReader events;

  public LeftDrivenReader(LeftCursor left, EntityReader events) {
    this.left = left;
    this.events = events;
  }

  public Entity next() {
    LeftGroup group = left.next();
    if (group == null) {
      events.drainAll();
      return null;
    }
    List<Row> rows = events.rowsFor(group.key());
    return new Entity(group.key(), rows, group);
  }

  public ReaderState state() {
    return new ReaderState(events.states(), left.state());
  }

  @Override
  public void close() {
    left.close();
    events.close();
  }
}
