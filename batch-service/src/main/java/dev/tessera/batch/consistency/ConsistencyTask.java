package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.EntityReader;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.KeyOrder;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.SourceCursor;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One partition of a consistency job: exactly a training set's partition (the logged fetches whose
 * key hashes to it, grouped by key and sorted by t, as the left rows; each key's events; values at
 * every t by {@code PointInTime}, events strictly before t), except that the values are compared
 * with the served ones ({@link Comparison}) instead of being written.
 */
final class ConsistencyTask implements PartitionTask {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Warehouse warehouse;
  private final int maxSamples;

  ConsistencyTask(Warehouse warehouse, int maxSamples) {
    this.warehouse = warehouse;
    this.maxSamples = maxSamples;
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    ConsistencyPlan plan = ConsistencyPlan.of(step.getJobExecution());
    JsonNode stats = JSON.readTree(step.getJobExecution().getExecutionContext().getString(ConsistencyPlan.LOG_STATS));
    Long from = 0L;
    long to = 0L;
    if (!stats.get("maxT").isNull()) {
      ReadWindow w = ReadWindow.forQueries(plan.groupBy(), stats.get("minT").asLong(), stats.get("maxT").asLong());
      from = w.from();
      to = w.to();
    }
    ReaderState state = resume == null ? null : resume.reader();
    LeftCursor left = leftCursor(plan, partition, state == null ? null : state.left());
    EventQuery.KeyFilter filter = new EventQuery.KeyFilter(plan.logRows(), plan.groupBy().keyNames());
    List<SourceCursor.State> resumed = state == null ? null : state.sources();
    // The events once per version: each version's own wheres and selects decide which rows it accepts.
    // The job's version first, then the older ones ascending: the checkpoint's source states in that order.
    int offset = 0;
    EntityReader live = EventStreams.open(warehouse, plan.groupBy(), plan.sources(), from, to, partition,
        slice(resumed, offset, plan.sources().size()), filter, maxSamples);
    offset += plan.sources().size();
    Map<Integer, EntityReader> others = new LinkedHashMap<>();
    for (var e : LoggedVersions.of(step.getJobExecution()).compiled().entrySet()) {
      CompiledGroupBy g = e.getValue();
      List<SourcePlan> sources = SourcePlan.of(g);
      Long vFrom = 0L;
      long vTo = 0L;
      if (!stats.get("maxT").isNull()) {
        ReadWindow w = ReadWindow.forQueries(g, stats.get("minT").asLong(), stats.get("maxT").asLong());
        vFrom = w.from();
        vTo = w.to();
      }
      others.put(e.getKey(), EventStreams.open(warehouse, g, sources, vFrom, vTo, partition, slice(resumed, offset, sources.size()),
          filter, maxSamples));
      offset += sources.size();
    }
    VersionedReader reader = new VersionedReader(left, live, others);
    return Reader.of(reader::next, reader::state, reader::close);
  }

  private static List<SourceCursor.State> slice(List<SourceCursor.State> states, int from, int n) {
    if (states == null) return null;
    if (states.size() < from + n) throw new IllegalStateException("the checkpoint has " + states.size() + " source states, expected at least " + (from + n));
    return List.copyOf(states.subList(from, from + n));
  }

  /** The partition's logged fetches by key and t, with their version, stale flag and served features: a training set's left rows. */
  private LeftCursor leftCursor(ConsistencyPlan plan, Partition p, LeftCursor.State resume) {
    SqlDialect d = warehouse.dialect();
    return LeftCursor.over(warehouse, d.table(plan.logRows()), d.quote(ConsistencyPlan.RID),
        plan.groupBy().keyNames().stream().map(d::quote).toList(), plan.textKeys(), d.quote(ConsistencyPlan.TS),
        List.of(d.quote(ConsistencyPlan.VERSION), d.quote(ConsistencyPlan.STALE), d.quote(ConsistencyPlan.FEATURES)), p, resume);
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    ConsistencyPlan plan = ConsistencyPlan.of(step.getJobExecution());
    long chunksDone = resume == null ? 0 : resume.chunks();
    // Stats and samples rows carry their chunk: what a crash left after the last checkpoint goes.
    for (TableName t : List.of(plan.stats(), plan.workSamples())) {
      warehouse.execute("DELETE FROM " + warehouse.dialect().table(t) + " WHERE partition_id = " + partition.index()
          + " AND chunk > " + chunksDone);
    }
    return new Comparison(warehouse, plan, LoggedVersions.of(step.getJobExecution()).compiled(), partition.index(), chunksDone,
        lateEvents(plan));
  }

  /** Every late dead letter of the GroupBy: entity key -> sorted event times (few: they are exceptions). */
  private Map<List<Object>, long[]> lateEvents(ConsistencyPlan plan) {
    Map<List<Object>, List<Long>> byKey = new HashMap<>();
    SqlDialect d = warehouse.dialect();
    int keys = plan.groupBy().keyNames().size();
    String sql = "SELECT " + plan.groupBy().keyNames().stream().map(d::quote).collect(Collectors.joining(", ")) + ", "
        + d.quote(ConsistencyPlan.EVENT_TIME) + " FROM " + d.table(plan.lateEvents());
    try (Connection c = warehouse.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<Object> key = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) key.add(KeyOrder.normalize(rs.getObject(1 + i)));
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getLong(1 + keys));
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading the late events of " + plan.groupBy().name() + " failed", e);
    }
    Map<List<Object>, long[]> out = new HashMap<>();
    byKey.forEach((k, v) -> {
      long[] times = v.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(times);
      out.put(k, times);
    });
    return out;
  }
}
