package dev.tessera.batch.consistency;

import dev.tessera.agg.pit.PointInTime;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.JdbcValues;
import dev.tessera.batch.read.LeftGroup;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.Warehouse;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares one partition's logged fetches with the values recomputed at their t, feature by
 * feature, and writes per chunk the counts per feature and day (compared, mismatches by cause,
 * SMAPE sum, largest difference) and a few mismatching rows, tagged with the chunk so that a resumed
 * partition can drop what a crash left half done.
 */
final class Comparison implements PartitionTask.Output {
  static final String MISMATCHES = "mismatches";
  static final String UNEXPLAINED = "unexplained";
  /** Logged rows whose features turned out not to be a JSON object: reported with the bad rows, not compared. */
  static final String UNREADABLE = "unreadableFeatures";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long DAY = 86_400_000L;
  private static final long[] NONE = new long[0];

  private final ConsistencyPlan plan;
  private final int partition;
  private final List<ComparisonRule> rules;
  private final String[] names;
  private final PointInTime pointInTime;
  private final Map<List<Object>, long[]> lateEvents;
  private final ChunkWriter statsWriter;
  private final ChunkWriter samplesWriter;
  private final int[] samplesKept;
  private final Map<Long, DayStats[]> days = new LinkedHashMap<>();
  private long chunk;
  private long fetches;
  private long mismatches;
  private long unexplained;
  private long unreadable;

  /** Counts of one feature on one day within a chunk. */
  static final class DayStats {
    long compared;
    long mismatches;
    final long[] causes = new long[Cause.values().length];
    double smapeSum;
    long smapeRows;
    double maxAbsDiff = Double.NaN;
  }

  Comparison(Warehouse warehouse, ConsistencyPlan plan, int partition, long chunksDone, Map<List<Object>, long[]> lateEvents) {
    this.plan = plan;
    this.partition = partition;
    this.chunk = chunksDone;
    this.rules = ComparisonRule.of(plan.groupBy(), plan.tolerances());
    this.names = rules.stream().map(ComparisonRule::feature).toArray(String[]::new);
    this.pointInTime = new PointInTime(plan.groupBy());
    this.lateEvents = lateEvents;
    this.statsWriter = new ChunkWriter(warehouse, plan.stats(), ConsistencyPlan.statsColumns());
    this.samplesWriter = new ChunkWriter(warehouse, plan.workSamples(), ConsistencyPlan.workSampleColumns());
    this.samplesKept = new int[rules.size()];
  }

  @Override
  public void accept(Entity entity) {
    LeftGroup left = entity.left();
    Object[][] logged = left.values();
    long[] late = lateEvents.getOrDefault(entity.key(), NONE);
    fetches += left.times().length;
    pointInTime.compute(entity.rows(), left.times(), (index, t, offline) -> {
      Object[] row = logged[index];
      int version = ((Number) row[0]).intValue();
      boolean stale = Boolean.TRUE.equals(row[1]);
      JsonNode served;
      try {
        served = JSON.readTree(row[2].toString());
      } catch (tools.jackson.core.JacksonException e) {
        served = null;
      }
      if (served == null || !served.isObject()) {
        unreadable++;
        return;
      }
      compare(entity.key(), t, version, stale, served, offline, late);
    });
  }

  private void compare(List<Object> key, long t, int version, boolean stale, JsonNode served, Object[] offline, long[] late) {
    long day = Math.floorDiv(t, DAY);
    DayStats[] stats = days.computeIfAbsent(day, d -> {
      DayStats[] s = new DayStats[rules.size()];
      for (int i = 0; i < s.length; i++) s[i] = new DayStats();
      return s;
    });
    boolean sameVersion = version == plan.version();
    for (int i = 0; i < rules.size(); i++) {
      ComparisonRule rule = rules.get(i);
      JsonNode node = served.get(names[i]);
      if (node == null && !sameVersion) continue; // a feature the logged version did not have
      Object online = node == null ? null : JdbcValues.toJava(node);
      DayStats s = stats[i];
      s.compared++;
      boolean match = node != null && rule.matches(online, offline[i]);
      if (rule.numeric()) {
        Double smape = ComparisonRule.smape(online, offline[i]);
        if (smape != null) {
          s.smapeSum += smape;
          s.smapeRows++;
          double diff = ComparisonRule.absDiff(online, offline[i]);
          s.maxAbsDiff = Double.isNaN(s.maxAbsDiff) ? diff : Math.max(s.maxAbsDiff, diff);
        }
      }
      if (match) continue;
      Cause cause = Attribution.cause(version, plan.version(), t, rule.window(), late, stale);
      s.mismatches++;
      s.causes[cause.ordinal()]++;
      mismatches++;
      if (cause == Cause.UNEXPLAINED) unexplained++;
      if (samplesKept[i] < plan.samples()) {
        samplesKept[i]++;
        Map<String, Object> keys = new LinkedHashMap<>();
        for (int k = 0; k < key.size(); k++) keys.put(plan.groupBy().keyNames().get(k), key.get(k));
        samplesWriter.append(new Object[] {partition, chunk + 1, names[i], LocalDate.ofEpochDay(day), JSON.writeValueAsString(keys), t,
            version, node == null ? null : node.toString(), offline[i] == null ? null : JSON.writeValueAsString(offline[i]),
            ComparisonRule.absDiff(online, offline[i]), cause.name()});
      }
    }
  }

  /** Writes the chunk's counts and samples; returns the logged fetches it checked. */
  @Override
  public long commit() {
    chunk++;
    for (var e : days.entrySet()) {
      LocalDate ds = LocalDate.ofEpochDay(e.getKey());
      DayStats[] stats = e.getValue();
      for (int i = 0; i < stats.length; i++) {
        DayStats s = stats[i];
        if (s.compared == 0) continue;
        long[] c = s.causes;
        statsWriter.append(new Object[] {partition, chunk, names[i], ds, s.compared, s.mismatches,
            c[Cause.LATE_EVENT.ordinal()], c[Cause.STALE_BATCH.ordinal()], c[Cause.VERSION_MISMATCH.ordinal()],
            c[Cause.UNEXPLAINED.ordinal()], s.smapeSum, s.smapeRows, Double.isNaN(s.maxAbsDiff) ? null : s.maxAbsDiff});
      }
    }
    days.clear();
    samplesWriter.commit();
    statsWriter.commit();
    long n = fetches;
    fetches = 0;
    return n;
  }

  @Override
  public Map<String, Long> drainCounters() {
    Map<String, Long> out = new HashMap<>();
    out.put(MISMATCHES, mismatches);
    out.put(UNEXPLAINED, unexplained);
    out.put(UNREADABLE, unreadable);
    unreadable = 0;
    mismatches = 0;
    unexplained = 0;
    return out;
  }

  @Override
  public void close() {
    statsWriter.close();
    samplesWriter.close();
  }
}
