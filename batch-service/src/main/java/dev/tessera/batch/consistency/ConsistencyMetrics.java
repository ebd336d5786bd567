package dev.tessera.batch.consistency;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges of the latest consistency run per GroupBy and feature (README "Metrics"):
 * {@code tessera_consistency_mismatch_rate}, {@code tessera_consistency_unexplained},
 * {@code tessera_consistency_rows_compared} ({@code groupBy}, {@code feature}), and per GroupBy
 * {@code tessera_consistency_mismatches{cause}} (every {@link Cause}, 0 included, so that a dashboard
 * shows them before the first mismatch), {@code tessera_consistency_bad_rows} and
 * {@code tessera_consistency_last_run_seconds}. A Join's runs
 * set the same gauges tagged {@code join} instead of {@code groupBy}, per output column
 * ({@code feature}) with the {@code part} it comes from ({@code derived} for a derivation), and per part
 * too ({@code feature} absent). At start they are filled from the latest completed run of each GroupBy
 * and Join in the job repository, so that an alert on unexplained mismatches does not go quiet when
 * the service restarts.
 */
public final class ConsistencyMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

  public ConsistencyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Fills the gauges from the latest completed run of every GroupBy (newest first). */
  void restore(dev.tessera.batch.api.JobViews views) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (var s : views.recent(ConsistencyJobConfiguration.JOB, 1000)) {
      if (!"COMPLETED".equals(s.status())) continue;
      if (s.groupBy() == null) {
        restoreJoin(views.view(s.id()), seen);
        continue;
      }
      if (!seen.add(s.groupBy())) continue;
      Map<String, Object> result = views.view(s.id()).result();
      @SuppressWarnings("unchecked")
      java.util.List<Map<String, Object>> features = (java.util.List<Map<String, Object>>) result.getOrDefault("features", java.util.List.of());
      long unexplained = result.get("unexplained") instanceof Number n ? n.longValue() : 0;
      long bad = result.get("badRows") instanceof Map<?, ?> b && b.get("total") instanceof Number n ? n.longValue() : 0;
      double ended = s.endedAt() == null ? 0 : s.endedAt().atZone(java.time.ZoneId.systemDefault()).toEpochSecond();
      record(s.groupBy(), new ConsistencyReport(features, unexplained), bad, ended);
    }
  }

  private void restoreJoin(dev.tessera.batch.api.JobView view, java.util.Set<String> seen) {
    Object join = view.parameters().get(dev.tessera.batch.join.JobJoin.JOIN);
    if (join == null || !seen.add("join:" + join)) return;
    Map<String, Object> result = view.result();
    @SuppressWarnings("unchecked")
    java.util.List<Map<String, Object>> features = (java.util.List<Map<String, Object>>) result.getOrDefault("features", java.util.List.of());
    @SuppressWarnings("unchecked")
    java.util.List<Map<String, Object>> parts = (java.util.List<Map<String, Object>>) result.getOrDefault("parts", java.util.List.of());
    long unexplained = result.get("unexplained") instanceof Number n ? n.longValue() : 0;
    long bad = result.get("badRows") instanceof Map<?, ?> b && b.get("total") instanceof Number n ? n.longValue() : 0;
    double ended = view.endedAt() == null ? 0 : view.endedAt().atZone(java.time.ZoneId.systemDefault()).toEpochSecond();
    recordJoin(join.toString(), new ConsistencyReport(features, unexplained), parts, bad, ended);
  }

  /** @param endedSeconds when the run ended, epoch seconds */
  void record(String groupBy, ConsistencyReport report, long badRows, double endedSeconds) {
    Map<String, String> owner = Map.of("groupBy", groupBy);
    for (Map<String, Object> f : report.features()) {
      Map<String, String> tags = new java.util.LinkedHashMap<>(owner);
      tags.put("feature", (String) f.get("feature"));
      values(tags, ((Number) f.get("mismatchRate")).doubleValue(), cause(f, Cause.UNEXPLAINED), ((Number) f.get("rowsCompared")).doubleValue());
    }
    runs(owner, report.features(), badRows, endedSeconds);
  }

  /**
   * A Join's run: the gauges per output column (tagged with its part, {@code derived} for a
   * derivation) and per part (the sums over its columns), tagged {@code join}.
   */
  void recordJoin(String join, ConsistencyReport report, java.util.List<Map<String, Object>> parts, long badRows, double endedSeconds) {
    Map<String, String> owner = Map.of("join", join);
    for (Map<String, Object> f : report.features()) {
      Map<String, String> tags = new java.util.LinkedHashMap<>(owner);
      tags.put("part", f.get("part") == null ? "derived" : f.get("part").toString());
      tags.put("feature", (String) f.get("feature"));
      values(tags, ((Number) f.get("mismatchRate")).doubleValue(), cause(f, Cause.UNEXPLAINED), ((Number) f.get("rowsCompared")).doubleValue());
    }
    for (Map<String, Object> p : parts) {
      Map<String, String> tags = new java.util.LinkedHashMap<>(owner);
      tags.put("part", p.get("part") == null ? "derived" : p.get("part").toString());
      values(tags, ((Number) p.get("mismatchRate")).doubleValue(), cause(p, Cause.UNEXPLAINED), ((Number) p.get("valuesCompared")).doubleValue());
    }
    runs(owner, report.features(), badRows, endedSeconds);
  }

  private static double cause(Map<String, Object> counts, Cause cause) {
    @SuppressWarnings("unchecked")
    Map<String, ? extends Number> causes = (Map<String, ? extends Number>) counts.get("causes");
    // a run stored by an older version may lack a cause added since (it restores at start)
    Number n = causes == null ? null : causes.get(cause.name());
    return n == null ? 0 : n.doubleValue();
  }

  private void values(Map<String, String> tags, double mismatchRate, double unexplained, double compared) {
    set("tessera.consistency.mismatch_rate", "mismatching share of the logged values (latest run)", tags, mismatchRate);
    set("tessera.consistency.unexplained", "mismatches no log explains (latest run): must be 0", tags, unexplained);
    set("tessera.consistency.rows_compared", "logged values compared (latest run)", tags, compared);
  }

  /** The run's mismatches by cause, summed over its features (a Join's: over its output columns, not again over its parts). */
  private void runs(Map<String, String> owner, java.util.List<Map<String, Object>> features, long badRows, double endedSeconds) {
    for (Cause c : Cause.values()) {
      double n = 0;
      for (Map<String, Object> f : features) n += cause(f, c);
      Map<String, String> tags = new java.util.LinkedHashMap<>(owner);
      tags.put("cause", c.name());
      set("tessera.consistency.mismatches", "mismatches of the latest run by cause (only UNEXPLAINED is a defect)", tags, n);
    }
    set("tessera.consistency.bad_rows", "feature log rows that could not be checked (latest run)", owner, badRows);
    set("tessera.consistency.last_run_seconds", "when the latest consistency run ended (epoch seconds)", owner, endedSeconds);
  }

  private void set(String name, String description, Map<String, String> tags, double value) {
    String id = name + "|" + tags;
    values.computeIfAbsent(id, k -> {
      AtomicReference<Double> ref = new AtomicReference<>(0.0);
      Gauge.Builder<AtomicReference<Double>> b = Gauge.builder(name, ref, AtomicReference::get).description(description);
      tags.forEach(b::tag);
      b.register(registry);
      return ref;
    }).set(value);
  }
}
