package dev.tessera.batch.trainingset;

import dev.tessera.agg.pit.PointInTime;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.compute.RowIdFeatures;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EntityReader;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.LeftDrivenReader;
import dev.tessera.batch.read.LeftGroup;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.SelfCursor;
import dev.tessera.batch.read.SelfDrivenReader;
import dev.tessera.batch.read.SourceCursor;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.shuffle.Shuffle;
import dev.tessera.batch.shuffle.ShuffleInput;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One partition of a training set: the left rows whose key hashes to it, grouped by key and sorted
 * by time; each key's events; point-in-time values at the left rows' times (events strictly
 * before each), written per left row id.
 */
final class TrainingSetTask implements PartitionTask {
  /** Counter of a direct output: rows written with features (the others had no key or no time). */
  static final String ROWS_WITH_FEATURES = "rowsWithFeatures";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What the training set's shuffle spills: the sources other than the left table itself (that one is read from its
   * numbered copy), over the window the left rows' times need.
   */
  static final ShuffleInput SHUFFLE_INPUT = new ShuffleInput() {
    @Override
    public List<SourcePlan> sources(JobExecution job) {
      TrainingSetPlan plan = TrainingSetPlan.of(job);
      return plan.sources().stream().filter(s -> s.index() != plan.selfSource()).toList();
    }

    @Override
    public ReadWindow window(JobExecution job) {
      return readWindow(TrainingSetPlan.of(job), LeftRange.of(job));
    }
  };

  private final Warehouse warehouse;
  private final int maxSamples;

  TrainingSetTask(Warehouse warehouse, int maxSamples) {
    this.warehouse = warehouse;
    this.maxSamples = maxSamples;
  }

  /** The left rows' time range as measured by the prepare step: [minT, maxT], or null when there are none. */
  record LeftRange(Long minT, Long maxT) {
    static LeftRange of(JobExecution job) {
      JsonNode n = JSON.readTree(job.getExecutionContext().getString(TrainingSetPlan.LEFT_STATS));
      return new LeftRange(n.get("minT").isNull() ? null : n.get("minT").asLong(), n.get("maxT").isNull() ? null : n.get("maxT").asLong());
    }
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    TrainingSetPlan plan = TrainingSetPlan.of(step.getJobExecution());
    ReadWindow w = readWindow(plan, LeftRange.of(step.getJobExecution()));
    Long from = w.from();
    long to = w.to();
    Shuffle shuffle = Shuffle.of(step.getJobExecution(), warehouse);
    Function<SourcePlan, String> spilled = s -> shuffle == null ? null : shuffle.relation(s, partition, step);
    ReaderState state = resume == null ? null : resume.reader();
    EventQuery.KeyFilter filter = plan.filterEventsByLeftKeys() ? new EventQuery.KeyFilter(plan.keySource(), plan.leftKeys()) : null;
    int self = plan.selfSource();
    if (self >= 0) return selfReader(plan, partition, state, from, to, self, spilled);
    LeftCursor left = leftCursor(plan, partition, state == null ? null : state.left());
    EntityReader events = EventStreams.open(warehouse, plan.groupBy(), plan.sources(), from, to, partition,
        state == null ? null : state.sources(), filter, maxSamples, spilled);
    LeftDrivenReader reader = new LeftDrivenReader(left, events);
    return new Reader() {
      @Override
      public Entity next() {
        return reader.next();
      }

      @Override
      public ReaderState state() {
        return reader.state();
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }

  /** The left table is a source: its rows are read once, from the numbered copy, as left rows and events (SelfCursor). */
  /** The events the left rows' times can need; none (an empty range) when no left row has a key and a time. */
  static ReadWindow readWindow(TrainingSetPlan plan, LeftRange range) {
    return range.maxT() == null ? new ReadWindow(0L, 0L) : ReadWindow.forQueries(plan.groupBy(), range.minT(), range.maxT());
  }

  private Reader selfReader(TrainingSetPlan plan, Partition partition, ReaderState state, Long from, long to, int self,
      Function<SourcePlan, String> spilled) {
    SourcePlan own = plan.sources().get(self);
    SourcePlan numbered = new SourcePlan(own.index(), plan.numbered(), own.input(), own.keyInputColumns(), own.timeColumn());
    SourceCursor.State resumeOwn = state == null ? null : state.sources().get(self);
    EventQuery q = EventQuery.of(warehouse.dialect(), numbered, null, null, partition, resumeOwn == null ? null : resumeOwn.resumeAfter(),
        null, List.of(TrainingSetPlan.RID, TrainingSetPlan.TS), plan.leftRelation(warehouse.dialect()));
    int[] leftColumns = plan.direct() ? plan.leftColumnIndexes(warehouse.columns(plan.left())) : null;
    SelfCursor cursor = new SelfCursor(warehouse, plan.groupBy(), numbered, q, resumeOwn,
        state == null || state.left() == null ? 0 : state.left().rows(), leftColumns, maxSamples);
    List<SourcePlan> others = plan.sources().stream().filter(s -> s.index() != self).toList();
    EntityReader rest = EventStreams.open(warehouse, plan.groupBy(), others, from, to, partition, state == null ? null : state.sources(),
        null, maxSamples, spilled);
    SelfDrivenReader reader = new SelfDrivenReader(cursor, rest, self, plan.sources().size());
    return new Reader() {
      @Override
      public Entity next() {
        return reader.next();
      }

      @Override
      public ReaderState state() {
        return reader.state();
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }

  private LeftCursor leftCursor(TrainingSetPlan plan, Partition p, LeftCursor.State resume) {
    SqlDialect d = warehouse.dialect();
    return LeftCursor.over(warehouse, plan.leftRelation(d), d.quote(TrainingSetPlan.RID), plan.leftKeys().stream().map(d::quote).toList(),
        plan.textKeys(), d.quote(TrainingSetPlan.TS), List.of(), p, resume);
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    TrainingSetPlan plan = TrainingSetPlan.of(step.getJobExecution());
    List<Object> after = resume == null ? null : resume.lastEntity();
    if (plan.direct()) {
      clearDirect(plan, partition, after);
      return new DirectOutput(warehouse, plan, plan.outputColumns(warehouse.columns(plan.left())));
    }
    clear(plan, partition, after);
    return new RowIdFeatures(plan.groupBy(), new ChunkWriter(warehouse, plan.features(), plan.featureColumns()));
  }

  /**
   * Direct output: removes this partition's rows of the output from an earlier attempt: all of them
   * on a first run; on a resume those of keys after the checkpoint, and the rows without a key
   * (written last), unless the checkpoint is past them already.
   */
  private void clearDirect(TrainingSetPlan plan, Partition p, List<Object> afterKey) {
    if (afterKey != null && afterKey.stream().anyMatch(Objects::isNull)) return;
    SqlDialect d = warehouse.dialect();
    List<String> keys = plan.leftKeys().stream().map(d::quote).toList();
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (p.count() > 1) where.add(d.partitionOf(keys, p.count()) + " = " + p.index());
    if (afterKey != null) {
      where.add("(" + OutputTables.after(d, keys, plan.textKeys()) + " OR " + keys.stream().map(k -> k + " IS NULL")
          .collect(Collectors.joining(" OR ")) + ")");
      params.addAll(afterKey);
    }
    OutputTables.update(warehouse, "DELETE FROM " + d.table(plan.output()) + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)),
        params, "clearing partition " + p + " of " + plan.output());
  }

  /**
   * Removes this partition's features from an earlier attempt: all of them on a first run, those
   * of keys after the checkpoint on a resume. Feature rows carry only the row id, so the slice is
   * found through the numbered left table.
   */
  private void clear(TrainingSetPlan plan, Partition p, List<Object> afterKey) {
    SqlDialect d = warehouse.dialect();
    OutputTables.deleteByRowIds(warehouse, plan.features(), d.quote(TrainingSetPlan.RID), plan.leftRelation(d),
        plan.leftKeys().stream().map(d::quote).toList(), plan.textKeys(), p.index(), p.count(), afterKey);
  }

  /** Writes output rows directly: each left row's own columns and its features; rows without a key or time with none. */
  private static final class DirectOutput implements Output {
    private final PointInTime pointInTime;
    private final FeatureValues values;
    private final ChunkWriter writer;
    private final int leftWidth;
    private final Object[] row;
    private long withFeatures;

    DirectOutput(Warehouse warehouse, TrainingSetPlan plan, List<OutColumn> columns) {
      this.pointInTime = new PointInTime(plan.groupBy());
      this.values = new FeatureValues(plan.groupBy());
      this.writer = new ChunkWriter(warehouse, plan.output(), columns);
      this.leftWidth = columns.size() - values.size();
      this.row = new Object[columns.size()];
    }

    @Override
    public void accept(Entity entity) {
      LeftGroup left = entity.left();
      Object[][] own = left.values();
      if (left.times().length > 0) {
        pointInTime.compute(entity.rows(), left.times(), (index, t, features) -> {
          System.arraycopy(own[index], 0, row, 0, leftWidth);
          values.copyInto(features, row, leftWidth);
          writer.append(row);
        });
        withFeatures += left.times().length;
      }
      for (Object[] r : left.unqueried()) {
        System.arraycopy(r, 0, row, 0, leftWidth);
        Arrays.fill(row, leftWidth, row.length, null);
        writer.append(row);
      }
    }

    @Override
    public long commit() {
      return writer.commit();
    }

    @Override
    public Map<String, Long> drainCounters() {
      var out = Map.of(ROWS_WITH_FEATURES, withFeatures);
      withFeatures = 0;
      return out;
    }

    @Override
    public void close() {
      writer.close();
    }
  }
}
