package dev.tessera.batch.read;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Opens the entity stream of one partition over every source of a GroupBy. */
public final class EventStreams {
  private EventStreams() {}

  /**
   * @param resume the sources' states from a checkpoint, or null to start from the beginning
   * @param filter restricts events to the keys of a table (training sets), or null
   */
  public static EntityReader open(Warehouse warehouse, CompiledGroupBy groupBy, List<SourcePlan> sources, Long from, Long to,
      Partition partition, List<SourceCursor.State> resume, EventQuery.KeyFilter filter, int maxSamples) {
    return open(warehouse, groupBy, sources, from, to, partition, resume, filter, maxSamples, s -> null);
  }

  /**
   * @param spilled the relation a source is read from instead of its dataset's files (the partition's shuffle spill
   *     files), or null to read the source itself
   */
  public static EntityReader open(Warehouse warehouse, CompiledGroupBy groupBy, List<SourcePlan> sources, Long from, Long to,
      Partition partition, List<SourceCursor.State> resume, EventQuery.KeyFilter filter, int maxSamples,
      Function<SourcePlan, String> spilled) {
    List<SourceCursor> cursors = new ArrayList<>();
    for (SourcePlan s : sources) {
      SourceCursor.State state = resume == null ? null : resume.get(s.index());
      // A table is selected from as it is; a Parquet dataset only from the files of the days in [from, to).
      String spill = spilled.apply(s);
      String relation = spill != null || s.table() instanceof TableName ? spill : warehouse.from(s.table(), s.input(), from, to);
      // Spill files hold this partition's keys only, filed by the same hash rule: no need to hash every row again.
      Partition slice = spill != null ? null : partition;
      // The key filter is a sub-select of a warehouse table: a Parquet dataset read beside the warehouse (PostgreSQL)
      // cannot join it in SQL, so it reads the partition's every key and the left-driven merge skips the others.
      EventQuery.KeyFilter keys = s.table() instanceof TableName || !warehouse.readsParquetApart() ? filter : null;
      EventQuery q = EventQuery.of(warehouse.dialect(s.table()), s, from, to, slice, state == null ? null : state.resumeAfter(), keys,
          List.of(), relation);
      cursors.add(new SourceCursor(warehouse, groupBy, s, q, from, to, state, maxSamples));
    }
    return new EntityReader(cursors);
  }
}
