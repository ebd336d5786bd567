package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.LeftGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recomputes the logged values of one {@link CheckedGroupBy} entity by entity and compares them,
 * feature by feature, into a {@link Tally}: each logged row at its t (events strictly before it) with
 * its own version's definition when the job has it, else with the job's and a mismatch is a
 * {@link Cause#VERSION_MISMATCH}; the other causes come from {@link Attribution}.
 */
final class Recomputation {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long[] NONE = new long[0];

  /** What became of one logged row: its recomputed values and the cause of each mismatching feature (by the GroupBy's names). */
  @FunctionalInterface
  interface Recomputed {
    void accept(long rowId, Version version, Object[] offline, Map<String, Cause> mismatches);
  }

  private final CheckedGroupBy checked;
  private final Version live;
  /** The recomputed version and every resolved older one; a row of any other version is recomputed with {@link #live}. */
  private final Map<Integer, Version> versions = new HashMap<>();
  private final Map<List<Object>, long[]> lateEvents;
  private final Map<List<Object>, Attribution.Arrivals> recordTimes;
  private final int fetchIndex;
  private final Recomputed recomputed;
  private long rows;
  private long unreadable;

  /** One version's comparison rules and point-in-time computation. */
  record Version(int version, CompiledGroupBy groupBy, List<ComparisonRule> rules, String[] names, PointInTime pointInTime) {
    static Version of(int version, CompiledGroupBy g, ComparisonRule.Tolerances tolerances) {
      List<ComparisonRule> rules = ComparisonRule.of(g, tolerances);
      return new Version(version, g, rules, rules.stream().map(ComparisonRule::feature).toArray(String[]::new), new PointInTime(g));
    }
  }

  /**
   * @param lateEvents the GroupBy's dead-lettered late events: entity key -> sorted event times
   * @param recomputed told of every compared row, or null
   */
  Recomputation(CheckedGroupBy checked, ComparisonRule.Tolerances tolerances, Map<List<Object>, long[]> lateEvents, Recomputed recomputed) {
    this(checked, tolerances, lateEvents, Map.of(), recomputed);
  }

  /** @param recordTimes the events around the logged fetches with their record times, per entity ({@link RecordTimes}) */
  Recomputation(CheckedGroupBy checked, ComparisonRule.Tolerances tolerances, Map<List<Object>, long[]> lateEvents,
      Map<List<Object>, Attribution.Arrivals> recordTimes, Recomputed recomputed) {
    this.recordTimes = recordTimes;
    this.fetchIndex = checked.fetchIndex();
    this.checked = checked;
    this.live = Version.of(checked.version(), checked.groupBy(), tolerances);
    versions.put(checked.version(), live);
    checked.older().forEach((v, g) -> versions.put(v, Version.of(v, g, tolerances)));
    this.lateEvents = lateEvents;
    this.recomputed = recomputed;
  }

  /** Compares every logged row of {@code entity} (whose key is the GroupBy's). */
  void accept(Entity entity, List<Object> key, Tally tally) {
    LeftGroup left = entity.left();
    Object[][] logged = left.values();
    long[] times = left.times();
    long[] rids = left.rowIds();
    long[] late = lateEvents.getOrDefault(key, NONE);
    Attribution.Arrivals arrivals = recordTimes.getOrDefault(key, Attribution.Arrivals.NONE);
    rows += times.length;
    // Each logged row is recomputed with its own version's definition (the same events, read per version).
    for (var e : byVersion(logged).entrySet()) {
      Version v = e.getKey();
      List<Integer> indexes = e.getValue();
      long[] t = new long[indexes.size()];
      for (int i = 0; i < t.length; i++) t[i] = times[indexes.get(i)];
      List<Row> events = v == live ? entity.rows() : entity.rowsByVersion().getOrDefault(v.version(), List.of());
      v.pointInTime().compute(events, t, (index, at, offline) -> {
        int i = indexes.get(index);
        check(v, key, rids[i], logged[i], at, offline, late, arrivals, tally);
      });
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

  /** One logged row: {@code row} holds the extra columns of {@link CheckedGroupBy#extraColumns()}. */
  private void check(Version v, List<Object> key, long rid, Object[] row, long t, Object[] offline, long[] late,
      Attribution.Arrivals arrivals, Tally tally) {
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
    // A Join part of a row whose Join version the job could not obtain is recomputed with the job's Join version.
    boolean otherJoin = checked.isJoinPart() && Boolean.TRUE.equals(row[5]);
    boolean sameVersion = version == v.version() && !otherJoin;
    int attributed = otherJoin ? -1 : version;
    Tally.Row where = checked.isJoinPart() ? new Tally.Row((String) row[3], t, ((Number) row[4]).intValue())
        : new Tally.Row(keysJson(key), t, version);
    Map<String, Cause> mismatches = recomputed == null ? null : new LinkedHashMap<>();
    Attribution.Fetch fetch = new Attribution.Fetch(t, row[fetchIndex] instanceof Number n ? n.longValue() : t,
        row[fetchIndex + 1] instanceof Number n ? n.longValue() : null, row[fetchIndex + 2] instanceof Number n ? n.longValue() : null,
        v.groupBy().tileSize());
    for (int i = 0; i < v.rules().size(); i++) {
      ComparisonRule rule = v.rules().get(i);
      String column = checked.column(v.names()[i]);
      JsonNode node = served.get(column);
      if (node == null && !sameVersion) continue; // a feature the logged version did not have
      Cause c = tally.compareAttributed(column, rule, where, node, offline[i],
          () -> Attribution.cause(attributed, v.version(), fetch, rule.window(), late, arrivals, stale));
      if (c != null && mismatches != null) mismatches.put(v.names()[i], c);
    }
    if (recomputed != null) recomputed.accept(rid, v, offline, mismatches);
  }

  private String keysJson(List<Object> key) {
    Map<String, Object> keys = new LinkedHashMap<>();
    for (int k = 0; k < key.size(); k++) keys.put(checked.groupBy().keyNames().get(k), key.get(k));
    return JSON.writeValueAsString(keys);
  }

  /** Logged rows of the entities accepted since the last call. */
  long drainRows() {
    long n = rows;
    rows = 0;
    return n;
  }

  /** Logged rows whose features turned out not to be a JSON object, since the last call: reported with the bad rows. */
  long drainUnreadable() {
    long n = unreadable;
    unreadable = 0;
    return n;
  }
}
