package dev.tessera.batch.consistency;

import dev.tessera.agg.pit.PointInTime;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.JdbcValues;
import dev.tessera.batch.read.LeftGroup;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.Row;
import java.time.LocalDate;
import java.util.ArrayList;
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
  private final Version live;
  /** The job's version and every resolved older one; a row of any other version is compared with {@link #live}. */
  private final Map<Integer, Version> versions = new HashMap<>();
  private final Map<List<Object>, long[]> lateEvents;
  private final ChunkWriter statsWriter;
  private final ChunkWriter samplesWriter;
  private final Map<String, Integer> samplesKept = new HashMap<>();
  private final Map<Long, Map<String, DayStats>> days = new LinkedHashMap<>();
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

  /** One version's comparison rules and point-in-time computation. */
  private record Version(int version, CompiledGroupBy groupBy, List<ComparisonRule> rules, String[] names, PointInTime pointInTime) {
    static Version of(int version, CompiledGroupBy g, ComparisonRule.Tolerances tolerances) {
      List<ComparisonRule> rules = ComparisonRule.of(g, tolerances);
      return new Version(version, g, rules, rules.stream().map(ComparisonRule::feature).toArray(String[]::new), new PointInTime(g));
    }
  }

  Comparison(Warehouse warehouse, ConsistencyPlan plan, Map<Integer, CompiledGroupBy> olderVersions, int partition, long chunksDone,
      Map<List<Object>, long[]> lateEvents) {
    this.plan = plan;
    this.partition = partition;
    this.chunk = chunksDone;
    this.live = Version.of(plan.version(), plan.groupBy(), plan.tolerances());
    versions.put(plan.version(), live);
    olderVersions.forEach((v, g) -> versions.put(v, Version.of(v, g, plan.tolerances())));
    this.lateEvents = lateEvents;
    this.statsWriter = new ChunkWriter(warehouse, plan.stats(), ConsistencyPlan.statsColumns());
    this.samplesWriter = new ChunkWriter(warehouse, plan.workSamples(), ConsistencyPlan.workSampleColumns());
  }

  @Override
  public void accept(Entity entity) {
    LeftGroup left = entity.left();
    Object[][] logged = left.values();
    long[] times = left.times();
    long[] late = lateEvents.getOrDefault(entity.key(), NONE);
    fetches += times.length;
    // Each logged row is recomputed with its own version's definition (the same events, read per version).
    Map<Version, List<Integer>> byVersion = byVersion(logged);
    for (var e : byVersion.entrySet()) {
      Version v = e.getKey();
      List<Integer> indexes = e.getValue();
      long[] t = new long[indexes.size()];
      for (int i = 0; i < t.length; i++) t[i] = times[indexes.get(i)];
      List<Row> rows = v == live ? entity.rows() : entity.rowsByVersion().getOrDefault(v.version(), List.of());
      v.pointInTime().compute(rows, t, (index, at, offline) -> check(v, entity.key(), logged[indexes.get(index)], at, offline, late));
    }
  }

  /** The indexes of the logged rows (sorted by t) per version they are recomputed with, in t order within each. */
  private Map<Version, List<Integer>> byVersion(Object[][] logged) {
    Map<Version, List<Integer>> out = new LinkedHashMap<>();
    for (int i = 0; i < logged.length; i++) {
      Version v = versions.getOrDefault(((Number) logged[i][0]).intValue(), live);
      out.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
    }
    return out;
  }

  private void check(Version v, List<Object> key, Object[] row, long t, Object[] offline, long[] late) {
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
    compare(v, key, t, version, stale, served, offline, late);
  }

  private void compare(Version v, List<Object> key, long t, int version, boolean stale, JsonNode served, Object[] offline, long[] late) {
    long day = Math.floorDiv(t, DAY);
    Map<String, DayStats> stats = days.computeIfAbsent(day, d -> new LinkedHashMap<>());
    boolean sameVersion = version == v.version();
    for (int i = 0; i < v.rules().size(); i++) {
      ComparisonRule rule = v.rules().get(i);
      String name = v.names()[i];
      JsonNode node = served.get(name);
      if (node == null && !sameVersion) continue; // a feature the logged version did not have
      Object online = node == null ? null : JdbcValues.toJava(node);
      DayStats s = stats.computeIfAbsent(name, f -> new DayStats());
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
      Cause cause = Attribution.cause(version, v.version(), t, rule.window(), late, stale);
      s.mismatches++;
      s.causes[cause.ordinal()]++;
      mismatches++;
      if (cause == Cause.UNEXPLAINED) unexplained++;
      int kept = samplesKept.getOrDefault(name, 0);
      if (kept < plan.samples()) {
        samplesKept.put(name, kept + 1);
        Map<String, Object> keys = new LinkedHashMap<>();
        for (int k = 0; k < key.size(); k++) keys.put(plan.groupBy().keyNames().get(k), key.get(k));
        samplesWriter.append(new Object[] {partition, chunk + 1, name, LocalDate.ofEpochDay(day), JSON.writeValueAsString(keys), t,
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
      for (var f : e.getValue().entrySet()) {
        DayStats s = f.getValue();
        if (s.compared == 0) continue;
        long[] c = s.causes;
        statsWriter.append(new Object[] {partition, chunk, f.getKey(), ds, s.compared, s.mismatches,
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
