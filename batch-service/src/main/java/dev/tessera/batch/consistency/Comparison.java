package dev.tessera.batch.consistency;

import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.List;
import java.util.Map;

/**
 * The output of one partition of a GroupBy's consistency job: its logged fetches compared with the
 * values recomputed at their t ({@link Recomputation}), counted per feature and day ({@link Tally}),
 * one chunk at a time.
 */
final class Comparison implements PartitionTask.Output {
  static final String MISMATCHES = Tally.MISMATCHES;
  static final String UNEXPLAINED = Tally.UNEXPLAINED;
  /** Logged rows whose features turned out not to be a JSON object: reported with the bad rows, not compared. */
  static final String UNREADABLE = "unreadableFeatures";

  private final Tally tally;
  private final Recomputation recomputation;

  Comparison(Warehouse warehouse, ConsistencyPlan plan, CheckedGroupBy checked, int partition, long chunksDone,
      Map<List<Object>, long[]> lateEvents, Map<List<Object>, Attribution.Arrivals> recordTimes) {
    this.tally = new Tally(warehouse, plan.stats(), plan.workSamples(), partition, chunksDone, plan.samples());
    this.recomputation = new Recomputation(checked, plan.tolerances(), lateEvents, recordTimes, null);
  }

  @Override
  public void accept(Entity entity) {
    recomputation.accept(entity, entity.key(), tally);
  }

  /** Writes the chunk's counts and samples; returns the logged fetches it checked. */
  @Override
  public long commit() {
    tally.commit();
    return recomputation.drainRows();
  }

  @Override
  public Map<String, Long> drainCounters() {
    Map<String, Long> out = tally.drainCounters();
    out.put(UNREADABLE, recomputation.drainUnreadable());
    return out;
  }

  @Override
  public void close() {
    tally.close();
  }
}
