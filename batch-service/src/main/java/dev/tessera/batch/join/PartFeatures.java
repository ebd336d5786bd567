package dev.tessera.batch.join;

import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.compute.RowIdFeatures;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.LeftDrivenReader;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.List;
import org.springframework.batch.core.step.StepExecution;

/**
 * One compute partition of a Join training set ({@link dev.tessera.batch.jobs.PartitionChunkStep}
 * runs it): slice {@code s} of part {@code p}'s key hash. It reads the spill's rows with that part's
 * key (row id, key, time) in key and time order, and the part's events of the same keys from its
 * GroupBy's source(s), grouped by entity ({@link LeftDrivenReader}); it writes each left row's
 * features as of its time (events strictly before it, {@link PointInTime}) under its row id, one
 * warehouse transaction per chunk. A restarted partition clears what an earlier attempt wrote after
 * its checkpoint and continues from there.
 */
final class PartFeatures implements PartitionTask {
  private final Warehouse warehouse;
  private final int maxSamples;

  PartFeatures(Warehouse warehouse, int maxSamples) {
    this.warehouse = warehouse;
    this.maxSamples = maxSamples;
  }

  private static CompiledPart part(StepExecution step) {
    return JoinPlan.of(step.getJobExecution()).join().parts().get(step.getExecutionContext().getInt(JoinPartitioner.PART));
  }

  /** The part's GroupBy: a Join's metrics count rows per part. */
  @Override
  public String metricsGroupBy(StepExecution step) {
    return part(step).groupBy().name();
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    JoinPlan plan = JoinPlan.of(step.getJobExecution());
    int index = step.getExecutionContext().getInt(JoinPartitioner.PART);
    CompiledPart part = plan.join().parts().get(index);
    ReadWindow window = plan.readWindow(index);
    if (window == null) return Reader.of(() -> null, () -> new ReaderState(List.of(), null), () -> {});
    SqlDialect d = warehouse.dialect();
    ReaderState state = resume == null ? null : resume.reader();
    LeftCursor left = LeftCursor.over(warehouse, d.table(plan.spill()), d.quote(JoinPlan.RID), quotedKeys(d, plan, part),
        JoinPlan.textKeys(part), d.quote(JoinPlan.TS), List.of(), partition, state == null ? null : state.left());
    LeftDrivenReader reader = new LeftDrivenReader(left, EventStreams.open(warehouse, part.groupBy(), plan.sources(index), window.from(),
        window.to(), partition, state == null ? null : state.sources(), new EventQuery.KeyFilter(plan.spill(), plan.leftKeys(part)),
        maxSamples));
    return Reader.of(reader::next, reader::state, reader::close);
  }

  private static List<String> quotedKeys(SqlDialect d, JoinPlan plan, CompiledPart part) {
    return plan.leftKeys(part).stream().map(d::quote).toList();
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    JoinPlan plan = JoinPlan.of(step.getJobExecution());
    int index = step.getExecutionContext().getInt(JoinPartitioner.PART);
    CompiledPart part = plan.join().parts().get(index);
    if (!JoinPlan.firstAttempt(step)) {
      // Rows an earlier attempt wrote for this slice after its last checkpoint (all of them without one).
      SqlDialect d = warehouse.dialect();
      OutputTables.deleteByRowIds(warehouse, plan.part(index), d.quote(JoinPlan.RID), d.table(plan.spill()), quotedKeys(d, plan, part),
          JoinPlan.textKeys(part), partition.index(), partition.count(), resume == null ? null : resume.lastEntity());
    }
    return new RowIdFeatures(part.groupBy(), new ChunkWriter(warehouse, plan.part(index), JoinPlan.partColumns(part)));
  }
}
