package dev.tessera.batch.join;

import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.JobMetrics;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.TooManyRejectionsException;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.LeftDrivenReader;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReadStats;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * One compute partition of a Join training set, as a Spring Batch chunk step's reader and writer (step
 * scoped: one per partition execution): slice {@code s} of part {@code p}'s key hash. It reads the
 * spill's rows with that part's key (row id, key, time) in key and time order, and the part's events
 * of the same keys from its GroupBy's source(s), grouped by entity ({@link LeftDrivenReader}); it
 * writes each left row's features as of its time (events strictly before it, {@link PointInTime})
 * under its row id, one warehouse transaction per chunk. Its checkpoint ({@link PartitionCheckpoint}:
 * where the readers stand, the last entity written, the counts) is saved with every chunk; a
 * restarted partition clears what an earlier attempt wrote after it and continues from there.
 */
class PartFeatures implements ItemStreamReader<List<Entity>>, ItemWriter<List<Entity>> {
  private final Warehouse warehouse;
  private final StepExecution step;
  private final int maxSamples;
  private final FailurePoints failures;
  private final JobMetrics metrics;
  private final int entitiesPerItem;

  private CompiledPart part;
  private LeftDrivenReader reader;
  private PointInTime pointInTime;
  private FeatureValues values;
  private ChunkWriter writer;
  private Object[] row;
  private List<Object> lastEntity;
  private long entities;
  private long rowsWritten;
  private long chunks;
  private ReadStats reported;
  private Long maxRejected;

  /** @param entitiesPerItem entities per item of the chunk step (items are batches: one call per item is cheaper than per entity) */
  PartFeatures(Warehouse warehouse, StepExecution step, int maxSamples, FailurePoints failures, JobMetrics metrics, int entitiesPerItem) {
    this.entitiesPerItem = entitiesPerItem;
    this.warehouse = warehouse;
    this.step = step;
    this.maxSamples = maxSamples;
    this.failures = failures;
    this.metrics = metrics;
  }

  @Override
  public void open(ExecutionContext ctx) {
    JoinPlan plan = JoinPlan.of(step.getJobExecution());
    int index = ctx.getInt(JoinPartitioner.PART);
    part = plan.join().parts().get(index);
    Partition partition = new Partition(ctx.getInt(KeyHashPartitioner.PARTITION), ctx.getInt(KeyHashPartitioner.PARTITIONS));
    PartitionCheckpoint resume = PartitionCheckpoint.read(ctx, maxSamples);
    if (resume != null) {
      lastEntity = resume.lastEntity();
      entities = resume.entities();
      rowsWritten = resume.rowsWritten();
      chunks = resume.chunks();
    }
    maxRejected = step.getJobParameters().getLong(dev.tessera.batch.jobs.JobParameterNames.MAX_REJECTED_ROWS);
    SqlDialect d = warehouse.dialect();
    List<String> keys = plan.leftKeys(part).stream().map(d::quote).toList();
    if (!JoinPlan.firstAttempt(step)) {
      // Rows an earlier attempt wrote for this slice after its last checkpoint (all of them without one).
      OutputTables.deleteByRowIds(warehouse, plan.part(index), d.quote(JoinPlan.RID), d.table(plan.spill()), keys, JoinPlan.textKeys(part),
          partition.index(), partition.count(), lastEntity);
    }
    ReaderState state = resume == null ? null : resume.reader();
    ReadWindow window = plan.readWindow(index);
    if (window != null) {
      LeftCursor left = LeftCursor.over(warehouse, d.table(plan.spill()), d.quote(JoinPlan.RID), keys, JoinPlan.textKeys(part),
          d.quote(JoinPlan.TS), List.of(), partition, state == null ? null : state.left());
      reader = new LeftDrivenReader(left, EventStreams.open(warehouse, part.groupBy(), plan.sources(index), window.from(), window.to(),
          partition, state == null ? null : state.sources(), new EventQuery.KeyFilter(plan.spill(), plan.leftKeys(part)), maxSamples));
    }
    pointInTime = new PointInTime(part.groupBy());
    values = new FeatureValues(part.groupBy());
    writer = new ChunkWriter(warehouse, plan.part(index), JoinPlan.partColumns(part));
    row = new Object[writer.width()];
    reported = resume == null ? new ReadStats(0) : resume.stats(0);
  }

  /** The next entities (up to {@code entitiesPerItem}), or null at the end. */
  @Override
  public List<Entity> read() {
    if (reader == null) return null;
    List<Entity> batch = new ArrayList<>(Math.min(entitiesPerItem, 64));
    Entity e;
    while (batch.size() < entitiesPerItem && (e = reader.next()) != null) batch.add(e);
    return batch.isEmpty() ? null : batch;
  }

  @Override
  public void write(Chunk<? extends List<Entity>> chunk) {
    long n = 0;
    for (List<Entity> batch : chunk) {
      for (Entity e : batch) {
        long[] rids = e.left().rowIds();
        pointInTime.compute(e.rows(), e.left().times(), (i, t, features) -> {
          row[0] = rids[i];
          values.copyInto(features, row, 1);
          writer.append(row);
        });
        lastEntity = e.key();
        n++;
      }
    }
    long written = writer.commit();
    failures.reached(FailurePoints.CHUNK_COMMITTED, step);
    entities += n;
    rowsWritten += written;
    chunks++;
    metrics.rows(step.getJobExecution().getJobInstance().getJobName(), part.groupBy().name(), "written", written);
    metrics.entities(step.getJobExecution().getJobInstance().getJobName(), part.groupBy().name(), n);
  }

  /** Saves the checkpoint with every chunk (and at the end, when the readers have counted the events no left row asked for). */
  @Override
  public void update(ExecutionContext ctx) {
    ReaderState state = reader == null ? new ReaderState(List.of(), null) : reader.state();
    PartitionCheckpoint checkpoint = new PartitionCheckpoint(state, lastEntity, entities, rowsWritten, chunks, Map.of());
    checkpoint.write(ctx);
    ReadStats now = checkpoint.stats(0);
    report(now);
    if (maxRejected != null && maxRejected >= 0 && now.rejected() > maxRejected) {
      throw new TooManyRejectionsException("part " + part.name() + " (" + step.getStepName() + ") rejected " + now.rejected()
          + " rows, more than the limit of " + maxRejected + " for the whole job; reasons: " + now.reasons());
    }
  }

  private void report(ReadStats now) {
    String job = step.getJobExecution().getJobInstance().getJobName();
    String groupBy = part.groupBy().name();
    metrics.rows(job, groupBy, "read", now.read() - reported.read());
    metrics.rows(job, groupBy, "accepted", now.accepted() - reported.accepted());
    metrics.rows(job, groupBy, "filtered", now.filtered() - reported.filtered());
    metrics.rows(job, groupBy, "rejected", now.rejected() - reported.rejected());
    reported = now;
  }

  @Override
  public void close() {
    if (reader != null) reader.close();
    if (writer != null) writer.close();
    reader = null;
    writer = null;
  }
}
