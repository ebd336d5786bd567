package dev.tessera.batch.read;

import dev.tessera.agg.row.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * A training set over the GroupBy's own events: entities come from the self source's key groups
 * (each row a left row and an event); the GroupBy's other sources, if any, add their rows by key.
 */
public final class SelfDrivenReader implements AutoCloseable {
  private final SelfCursor self;
  private final EntityReader others;
  private final int selfIndex;
  private final int sourceCount;

  /** @param others readers of the other sources (may have none) */
  public SelfDrivenReader(SelfCursor self, EntityReader others, int selfIndex, int sourceCount) {
    this.self = self;
    this.others = others;
    this.selfIndex = selfIndex;
    this.sourceCount = sourceCount;
  }

  public Entity next() {
    SelfCursor.Group g = self.next();
    if (g == null) {
      others.drainAll();
      return null;
    }
    List<Row> rows = g.rows();
    List<Row> more = others.rowsFor(g.key());
    if (!more.isEmpty()) {
      rows = new ArrayList<>(rows);
      rows.addAll(more);
      EntityReader.sortByTime(rows);
    }
    return new Entity(g.key(), rows, g.left());
  }

  /** Source states in source order (the self source's among them), and the left state. */
  public ReaderState state() {
    List<SourceCursor.State> states = new ArrayList<>();
    List<SourceCursor.State> otherStates = others.states();
    int o = 0;
    for (int i = 0; i < sourceCount; i++) states.add(i == selfIndex ? self.state() : otherStates.get(o++));
    return new ReaderState(states, self.leftState());
  }

  @Override
  public void close() {
    self.close();
    others.close();
  }
}
