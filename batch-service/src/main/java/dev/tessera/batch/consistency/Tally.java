package dev.tessera.batch.consistency;

import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one partition of a consistency job found, chunk by chunk: per compared column and day the
 * counts (compared, mismatches by cause, SMAPE sum, largest difference) and a few mismatching rows,
 * written with the chunk's number so that a resumed partition can drop what a crash left half done.
 * Every comparison of a job goes through one: a GroupBy's features, a Join's part columns and derived
 * columns.
 */
final class Tally {
  static final String MISMATCHES = "mismatches";
  static final String UNEXPLAINED = "unexplained";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long DAY = 86_400_000L;

  private final int partition;
  private final int maxSamples;
  private final ChunkWriter statsWriter;
  private final ChunkWriter samplesWriter;
  private final Map<String, Integer> samplesKept = new HashMap<>();
  private final Map<Long, Map<String, DayStats>> days = new LinkedHashMap<>();
  private long chunk;
  private long mismatches;
  private long unexplained;

  /** Counts of one column on one day within a chunk. */
  static final class DayStats {
    long compared;
    long mismatches;
    /** By {@link Counts}: mismatches per cause and freshness delays. */
    final long[] counts = new long[Counts.size()];
    double smapeSum;
    long smapeRows;
    double maxAbsDiff = Double.NaN;
  }

  /**
   * @param partition the partition's number in the stats and samples tables (unique within the job)
   * @param chunksDone the chunks the partition committed before (a resumed partition's)
   */
  Tally(Warehouse warehouse, TableName stats, TableName samples, int partition, long chunksDone, int maxSamples) {
    this.partition = partition;
    this.chunk = chunksDone;
    this.maxSamples = maxSamples;
    this.statsWriter = new ChunkWriter(warehouse, stats, ConsistencyPlan.statsColumns());
    this.samplesWriter = new ChunkWriter(warehouse, samples, ConsistencyPlan.workSampleColumns());
  }

  /** Where one logged row is: its keys (JSON text), time and logged version, for the samples. */
  record Row(String keys, long t, int loggedVersion) {}

  /**
   * Compares one served value with the recomputed one and counts it under {@code column}.
   *
   * @param served the logged value, null when the log does not have the column
   * @param cause why they differ, asked only when they do
   * @return the mismatch's cause, or null when they match
   */
  Cause compare(String column, ComparisonRule rule, Row row, JsonNode served, Object offline, java.util.function.Supplier<Cause> cause) {
    return compareAttributed(column, rule, row, served, offline, () -> Attribution.Attributed.of(cause.get()));
  }

  /** As {@link #compare}, with the cause's freshness delay counted when it has one. */
  Cause compareAttributed(String column, ComparisonRule rule, Row row, JsonNode served, Object offline,
      java.util.function.Supplier<Attribution.Attributed> cause) {
    long day = Math.floorDiv(row.t(), DAY);
    DayStats s = days.computeIfAbsent(day, d -> new LinkedHashMap<>()).computeIfAbsent(column, f -> new DayStats());
    s.compared++;
    Object online = served == null ? null : dev.tessera.batch.read.JdbcValues.toJava(served);
    boolean match = served != null && rule.matches(online, offline);
    if (rule.numeric()) {
      Double smape = ComparisonRule.smape(online, offline);
      if (smape != null) {
        s.smapeSum += smape;
        s.smapeRows++;
        double diff = ComparisonRule.absDiff(online, offline);
        s.maxAbsDiff = Double.isNaN(s.maxAbsDiff) ? diff : Math.max(s.maxAbsDiff, diff);
      }
    }
    if (match) return null;
    Attribution.Attributed a = cause.get();
    Cause c = a.cause();
    s.mismatches++;
    s.counts[Counts.of(c)]++;
    if (a.delay() != null) s.counts[Counts.of(FreshnessDelay.of(a.delay()))]++;
    mismatches++;
    if (c == Cause.UNEXPLAINED) unexplained++;
    int kept = samplesKept.getOrDefault(column, 0);
    if (kept < maxSamples) {
      samplesKept.put(column, kept + 1);
      samplesWriter.append(new Object[] {partition, chunk + 1, column, LocalDate.ofEpochDay(day), row.keys(), row.t(), row.loggedVersion(),
          served == null ? null : served.toString(), offline == null ? null : JSON.writeValueAsString(offline),
          ComparisonRule.absDiff(online, offline), c.name()});
    }
    return c;
  }

  /** The number the next commit gives its rows (for other tables written chunk by chunk with these). */
  long nextChunk() {
    return chunk + 1;
  }

  int partition() {
    return partition;
  }

  /** Writes the chunk's counts and samples. */
  void commit() {
    chunk++;
    for (var e : days.entrySet()) {
      LocalDate ds = LocalDate.ofEpochDay(e.getKey());
      for (var f : e.getValue().entrySet()) {
        DayStats s = f.getValue();
        if (s.compared == 0) continue;
        int first = Cause.FIRST_COLUMNS.size();
        List<Object> row = new ArrayList<>(List.of(partition, chunk, f.getKey(), ds, s.compared, s.mismatches));
        for (int i = 0; i < first; i++) row.add(s.counts[i]);
        row.addAll(Arrays.asList(s.smapeSum, s.smapeRows, Double.isNaN(s.maxAbsDiff) ? null : s.maxAbsDiff));
        for (int i = first; i < s.counts.length; i++) row.add(s.counts[i]);
        statsWriter.append(row.toArray());
      }
    }
    days.clear();
    samplesWriter.commit();
    statsWriter.commit();
  }

  /** The mismatch counters of the chunks since the last call (the partition's checkpoint keeps their sums). */
  Map<String, Long> drainCounters() {
    Map<String, Long> out = new HashMap<>();
    out.put(MISMATCHES, mismatches);
    out.put(UNEXPLAINED, unexplained);
    mismatches = 0;
    unexplained = 0;
    return out;
  }

  void close() {
    statsWriter.close();
    samplesWriter.close();
  }
}
