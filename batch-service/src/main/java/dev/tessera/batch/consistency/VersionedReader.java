package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EntityReader;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.LeftGroup;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.SourceCursor;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
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

  /**
   * The reader of one partition of {@code c}'s log rows (a training set's left rows: grouped by key,
   * sorted by t, with the logged values) and of the events of their keys, once per version.
   *
   * @param resume the checkpoint's state of this reader (its source states as {@link #state()} lists them), or null
   */
  static VersionedReader open(Warehouse warehouse, CheckedGroupBy c, Partition partition, ReaderState resume, int maxSamples) {
    SqlDialect d = warehouse.dialect();
    LeftCursor left = LeftCursor.over(warehouse, d.table(c.logRows()), d.quote(ConsistencyPlan.RID),
        c.groupBy().keyNames().stream().map(d::quote).toList(), c.textKeys(), d.quote(ConsistencyPlan.TS),
        c.extraColumns().stream().map(d::quote).toList(), partition, resume == null ? null : resume.left());
    EventQuery.KeyFilter filter = new EventQuery.KeyFilter(c.logRows(), c.groupBy().keyNames());
    List<SourceCursor.State> resumed = resume == null ? null : resume.sources();
    // The events once per version: each version's own wheres and selects decide which rows it accepts.
    // The recomputed version first, then the older ones ascending: the checkpoint's source states in that order.
    int offset = 0;
    EntityReader live = events(warehouse, c, c.groupBy(), partition, resumed, offset, filter, maxSamples);
    offset += c.groupBy().definition().sources().size();
    Map<Integer, EntityReader> others = new LinkedHashMap<>();
    for (var e : c.older().entrySet()) {
      others.put(e.getKey(), events(warehouse, c, e.getValue(), partition, resumed, offset, filter, maxSamples));
      offset += e.getValue().definition().sources().size();
    }
    return new VersionedReader(left, live, others);
  }

  /** How many source states {@link #state()} lists for {@code c}. */
  static int sourceCount(CheckedGroupBy c) {
    int n = c.groupBy().definition().sources().size();
    for (CompiledGroupBy g : c.older().values()) n += g.definition().sources().size();
    return n;
  }

  private static EntityReader events(Warehouse warehouse, CheckedGroupBy c, CompiledGroupBy g, Partition partition,
      List<SourceCursor.State> resumed, int offset, EventQuery.KeyFilter filter, int maxSamples) {
    List<SourcePlan> sources = SourcePlan.of(g);
    ReadWindow w = c.readWindow(g);
    return EventStreams.open(warehouse, g, sources, w.from(), w.to(), partition, slice(resumed, offset, sources.size()), filter, maxSamples);
  }

  private static List<SourceCursor.State> slice(List<SourceCursor.State> states, int from, int n) {
    if (states == null) return null;
    if (states.size() < from + n) throw new IllegalStateException("the checkpoint has " + states.size() + " source states, expected at least " + (from + n));
    return List.copyOf(states.subList(from, from + n));
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
