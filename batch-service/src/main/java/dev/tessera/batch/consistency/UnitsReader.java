package dev.tessera.batch.consistency;

import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.SourceCursor;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a Join consistency job reads its slice of every unit (every part of every
 * recomputed Join version) in turn, each as a GroupBy job's partition reads its GroupBy
 * ({@link VersionedReader}): a part's rows are sliced by the hash of the part's own entity key, so each
 * part's events are read once over all partitions. An entity's key is prefixed with its unit's index
 * (so a checkpoint's last entity says where it is).
 *
 * <p>The checkpoint's source states are those of every unit read so far, in unit order (the finished
 * ones' final states keep their counts), and its left state is the current unit's: a resumed
 * partition finds its unit by counting the source states.
 */
final class UnitsReader implements AutoCloseable {
  private final Warehouse warehouse;
  private final List<CheckedGroupBy> units;
  private final Partition partition;
  private final int maxSamples;
  private final int[] offsets;
  private final List<SourceCursor.State> finished = new ArrayList<>();
  private int current;
  private VersionedReader reader;

  UnitsReader(Warehouse warehouse, List<CheckedGroupBy> units, Partition partition, ReaderState resume, int maxSamples) {
    this.warehouse = warehouse;
    this.units = List.copyOf(units);
    this.partition = partition;
    this.maxSamples = maxSamples;
    this.offsets = new int[units.size() + 1];
    for (int i = 0; i < units.size(); i++) offsets[i + 1] = offsets[i] + VersionedReader.sourceCount(units.get(i));
    if (resume != null && (resume.left() != null || !resume.sources().isEmpty())) resume(resume);
  }

  private void resume(ReaderState state) {
    int n = state.sources().size();
    if (state.left() == null) {
      if (n != offsets[units.size()]) throw new IllegalStateException("the checkpoint has " + n + " source states and no left state");
      finished.addAll(state.sources());
      current = units.size();
      return;
    }
    int unit = 0;
    while (unit < units.size() && offsets[unit + 1] != n) unit++;
    if (unit == units.size()) throw new IllegalStateException("the checkpoint's " + n + " source states fit no unit (" + java.util.Arrays.toString(offsets) + ")");
    current = unit;
    finished.addAll(state.sources().subList(0, offsets[unit]));
    reader = VersionedReader.open(warehouse, units.get(unit), partition,
        new ReaderState(state.sources().subList(offsets[unit], n), state.left()), maxSamples);
  }

  /** The next entity of the current unit or the ones after it, its key prefixed with the unit's index; null at the end. */
  Entity next() {
    while (current < units.size()) {
      if (reader == null) reader = VersionedReader.open(warehouse, units.get(current), partition, null, maxSamples);
      Entity e = reader.next();
      if (e != null) {
        List<Object> key = new ArrayList<>(e.key().size() + 1);
        key.add((long) current);
        key.addAll(e.key());
        return new Entity(key, e.rows(), e.left(), e.rowsByVersion());
      }
      finished.addAll(reader.state().sources());
      reader.close();
      reader = null;
      current++;
    }
    return null;
  }

  /** The unit of an entity {@link #next()} returned, and its own key. */
  static int unit(Entity e) {
    return ((Number) e.key().getFirst()).intValue();
  }

  static List<Object> key(Entity e) {
    return e.key().subList(1, e.key().size());
  }

  ReaderState state() {
    List<SourceCursor.State> sources = new ArrayList<>(finished);
    if (reader == null) return new ReaderState(sources, null);
    ReaderState r = reader.state();
    sources.addAll(r.sources());
    return new ReaderState(sources, r.left());
  }

  @Override
  public void close() {
    if (reader != null) reader.close();
    reader = null;
  }
}
