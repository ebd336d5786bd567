package dev.tessera.batch.read;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;

/** Opens the entity stream of one partition over every source of a GroupBy. */
public final class EventStreams {
  private EventStreams() {}

  /**
   * @param resume the sources' states from a checkpoint, or null to start from the beginning
   * @param filter restricts events to the keys of a table (training sets), or null
   */
  public static EntityReader open(Warehouse warehouse, CompiledGroupBy groupBy, List<SourcePlan> sources, Long from, Long to,
      Partition partition, List<SourceCursor.State> resume, EventQuery.KeyFilter filter, int maxSamples) {
    List<SourceCursor> cursors = new ArrayList<>();
    for (SourcePlan s : sources) {
      SourceCursor.State state = resume == null ? null : resume.get(s.index());
      // A table is selected from as it is; a Parquet dataset only from the files of the days in [from, to).
      String relation = s.table() instanceof TableName ? null : warehouse.from(s.table(), s.input(), from, to);
      EventQuery q = EventQuery.of(warehouse.dialect(), s, from, to, partition, state == null ? null : state.resumeAfter(), filter,
          List.of(), relation);
      cursors.add(new SourceCursor(warehouse, groupBy, s, q, from, to, state, maxSamples));
    }
    return new EntityReader(cursors);
  }
}
