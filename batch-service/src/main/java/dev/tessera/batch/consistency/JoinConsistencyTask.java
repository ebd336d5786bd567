package dev.tessera.batch.consistency;

import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.json.JsonMapper;

/**
 * One compute partition of a Join consistency job: every unit's slice in turn ({@link UnitsReader}),
 * each checked as a GroupBy job checks its GroupBy ({@link Recomputation}: each row's part columns
 * recomputed at its t with the part's logged GroupBy version, compared, mismatches attributed by
 * {@link Attribution} as a GroupBy's: the part's late events, the arrival of its events against the
 * row's fetch time and the part's logged tile ends, its stale flag, or a version the job could not
 * obtain). Each compared row's recomputed features and mismatch causes go to
 * {@link JoinConsistencyPlan#values()} for the derive step, in the same chunks.
 */
final class JoinConsistencyTask implements PartitionTask {
  /** Counter per unit: its log rows compared (the per-part breakdown of the report). */
  static String rowsCounter(int unit) {
    return "rows.u" + unit;
  }

  private final Warehouse warehouse;
  private final int maxSamples;

  JoinConsistencyTask(Warehouse warehouse, int maxSamples) {
    this.warehouse = warehouse;
    this.maxSamples = maxSamples;
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    JoinConsistencyPlan plan = JoinConsistencyPlan.of(step.getJobExecution());
    UnitsReader reader = new UnitsReader(warehouse, JoinUnits.of(step.getJobExecution()).checked(plan), partition,
        resume == null ? null : resume.reader(), maxSamples);
    return Reader.of(reader::next, reader::state, reader::close);
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    JoinConsistencyPlan plan = JoinConsistencyPlan.of(step.getJobExecution());
    long chunksDone = resume == null ? 0 : resume.chunks();
    ConsistencyTask.clearAfter(warehouse, List.of(plan.stats(), plan.workSamples(), plan.values()), partition.index(), chunksDone);
    return new Checks(warehouse, plan, JoinUnits.of(step.getJobExecution()), partition.index(), chunksDone);
  }

  /** The output: one {@link Recomputation} per unit into one {@link Tally}, and the recomputed values. */
  private static final class Checks implements Output {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Tally tally;
    private final List<Recomputation> units = new ArrayList<>();
    private final ChunkWriter values;
    private final long[] rows;

    Checks(Warehouse warehouse, JoinConsistencyPlan plan, JoinUnits joinUnits, int partition, long chunksDone) {
      this.tally = new Tally(warehouse, plan.stats(), plan.workSamples(), partition, chunksDone, plan.samples());
      this.values = new ChunkWriter(warehouse, plan.values(), JoinConsistencyPlan.valueColumns());
      this.rows = new long[joinUnits.units().size()];
      for (JoinUnits.Unit u : joinUnits.units()) {
        CheckedGroupBy checked = u.checked(plan);
        // Only a Join version with derivations needs its parts' recomputed values again.
        boolean derives = !joinUnits.joins().get(u.joinVersion()).join().definition().derivations().isEmpty();
        Recomputation.Recomputed keep = derives ? (rid, version, offline, mismatches) -> {
          Map<String, Object> features = new LinkedHashMap<>();
          for (int i = 0; i < version.names().length; i++) features.put(version.names()[i], offline[i]);
          Map<String, String> causes = new LinkedHashMap<>();
          mismatches.forEach((f, c) -> causes.put(f, c.name()));
          values.append(new Object[] {partition, tally.nextChunk(), rid, u.index(), version.version(), JSON.writeValueAsString(features),
              causes.isEmpty() ? null : JSON.writeValueAsString(causes)});
        } : null;
        units.add(new Recomputation(checked, plan.tolerances(),
            LateEvents.read(warehouse, checked.groupBy(), plan.lateEvents(u.index())),
            RecordTimes.read(warehouse, checked.groupBy(), plan.recordTimes(u.index())), keep));
      }
    }

    @Override
    public void accept(Entity entity) {
      int unit = UnitsReader.unit(entity);
      units.get(unit).accept(entity, UnitsReader.key(entity), tally);
    }

    @Override
    public long commit() {
      values.commit();
      tally.commit();
      long n = 0;
      for (int i = 0; i < units.size(); i++) {
        long r = units.get(i).drainRows();
        rows[i] += r;
        n += r;
      }
      return n;
    }

    @Override
    public Map<String, Long> drainCounters() {
      Map<String, Long> out = new HashMap<>(tally.drainCounters());
      long unreadable = 0;
      for (Recomputation r : units) unreadable += r.drainUnreadable();
      out.put(Comparison.UNREADABLE, unreadable);
      for (int i = 0; i < rows.length; i++) {
        out.put(rowsCounter(i), rows[i]);
        rows[i] = 0;
      }
      return out;
    }

    @Override
    public void close() {
      values.close();
      tally.close();
    }
  }
}
