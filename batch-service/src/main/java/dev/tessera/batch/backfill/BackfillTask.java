package dev.tessera.batch.backfill;

import dev.tessera.batch.compute.DailySnapshots;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.jobs.Readers;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.shuffle.Shuffle;
import dev.tessera.batch.shuffle.ShuffleInput;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.PartitionFence;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One partition of a backfill: the entities whose key hashes to it, read from the start of the
 * longest window before the first day to the end of the last day, and their daily snapshots
 * appended to {@code <groupBy>_v<version>_daily}.
 */
final class BackfillTask implements PartitionTask {
  /** What the backfill's shuffle spills: its sources' events of the read window of its days. */
  static final ShuffleInput SHUFFLE_INPUT = new ShuffleInput() {
    @Override
    public List<SourcePlan> sources(JobExecution job) {
      return BackfillPlan.of(job).sources();
    }

    @Override
    public ReadWindow window(JobExecution job) {
      BackfillPlan plan = BackfillPlan.of(job);
      return new DailySnapshots(plan.groupBy(), plan.start(), plan.end()).readWindow();
    }
  };

  private final Warehouse warehouse;
  private final int maxSamples;

  BackfillTask(Warehouse warehouse, int maxSamples) {
    this.warehouse = warehouse;
    this.maxSamples = maxSamples;
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    BackfillPlan plan = BackfillPlan.of(step.getJobExecution());
    ReadWindow window = SHUFFLE_INPUT.window(step.getJobExecution());
    Shuffle shuffle = Shuffle.of(step.getJobExecution(), warehouse);
    return Readers.events(EventStreams.open(warehouse, plan.groupBy(), plan.sources(), window.from(), window.to(), partition,
        resume == null ? null : resume.reader().sources(), null, maxSamples, s -> shuffle == null ? null : shuffle.relation(s, partition, step)));
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    BackfillPlan plan = BackfillPlan.of(step.getJobExecution());
    clear(plan, partition, resume == null ? null : resume.lastEntity());
    return new SnapshotOutput(warehouse, plan);
  }

  /** Re-running a range replaces it: this partition's rows of those days go first (after a resume: past the checkpoint). */
  private void clear(BackfillPlan plan, Partition partition, List<Object> afterKey) {
    Connection c = warehouse.begin();
    try {
      OutputTables.deleteSlice(c, warehouse.dialect(), plan.output(), plan.groupBy().keyNames(), plan.textKeys(), partition.index(),
          partition.count(), warehouse.dialect().quote(BackfillPlan.DS) + " BETWEEN ? AND ?",
          List.of(Date.valueOf(plan.start()), Date.valueOf(plan.end())), afterKey);
      // fenced too: a superseded holder's late clearing would remove what the slice's current holder wrote
      PartitionFence.commit(c);
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(c);
      throw new WarehouseException("clearing partition " + partition + " of " + plan.output() + " failed", e);
    } finally {
      Warehouse.closeQuietly(c);
    }
  }

  /** Appends each entity's snapshots as it comes; the chunk commits as one transaction. */
  private static final class SnapshotOutput implements Output {
    private final DailySnapshots snapshots;
    private final FeatureValues values;
    private final ChunkWriter writer;
    private final int keyCount;

    SnapshotOutput(Warehouse warehouse, BackfillPlan plan) {
      this.snapshots = new DailySnapshots(plan.groupBy(), plan.start(), plan.end());
      this.values = new FeatureValues(plan.groupBy());
      this.writer = new ChunkWriter(warehouse, plan.output(), plan.columns());
      this.keyCount = plan.groupBy().keyNames().size();
    }

    @Override
    public void accept(Entity entity) {
      snapshots.compute(entity.rows(), (ds, features) -> {
        Object[] row = new Object[writer.width()];
        for (int i = 0; i < keyCount; i++) row[i] = entity.key().get(i);
        values.copyInto(features, row, keyCount);
        row[row.length - 1] = ds;
        writer.append(row);
      });
    }

    @Override
    public long commit() {
      return writer.commit();
    }

    @Override
    public void close() {
      writer.close();
    }
  }
}
