package dev.tessera.batch.consistency;

import dev.tessera.agg.row.Row;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EntityReader;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.LeftGroup;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.SourceCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consistency partition's entities: one per logged key (as a training set's left-driven reader),
 * with the key's events as the job's version accepts them and, for every older version that was
 * resolved, as that version accepts them (its own wheres and selects, possibly its own tables).
 * The checkpoint holds the job's version's source states first, then each older version's, ascending.
 */
final class VersionedReader implements AutoCloseable {
  private final LeftCursor left;
  private final EntityReader live;
  private final Map<Integer, EntityReader> others;

  VersionedReader(LeftCursor left, EntityReader live, Map<Integer, EntityReader> others) {
    this.left = left;
    this.live = live;
    this.others = others;
  }

  Entity next() {
    LeftGroup group = left.next();
    if (group == null) {
      live.drainAll();
      others.values().forEach(EntityReader::drainAll);
      return null;
    }
    List<Row> rows = live.rowsFor(group.key());
    Map<Integer, List<Row>> byVersion = new LinkedHashMap<>();
    others.forEach((v, r) -> byVersion.put(v, r.rowsFor(group.key())));
    return new Entity(group.key(), rows, group, byVersion);
  }

  ReaderState state() {
    List<SourceCursor.State> sources = new ArrayList<>(live.states());
    others.values().forEach(r -> sources.addAll(r.states()));
    return new ReaderState(sources, left.state());
  }

  @Override
  public void close() {
    left.close();
    live.close();
    others.values().forEach(EntityReader::close);
  }
}
