package dev.tessera.agg.pit;

import dev.tessera.agg.row.Row;
import java.util.List;

/** One window group's state while {@link PointInTime} sweeps an entity's rows in time order. */
interface WindowSweep {
  /** Starts a new entity whose rows, sorted by time, are {@code rowsByTime}. */
  void reset(List<Row> rowsByTime);

  /** Adds the next row of the entity (rows come in time order, each one once). */
  void add(Row row);

  /** Writes the group's feature values as of {@code t} (after every row before {@code t} was added) into {@code values}. */
  void valuesAt(long t, Object[] values, int[] slots);
}
