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
 * {@code tessera_consistency_bad_rows} and {@code tessera_consistency_last_run_seconds}. At start they
 * are filled from the latest completed run of each GroupBy in the job repository, so that an alert on
 * unexplained mismatches does not go quiet when the service restarts.
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
      if (s.groupBy() == null || !"COMPLETED".equals(s.status()) || !seen.add(s.groupBy())) continue;
      Map<String, Object> result = views.view(s.id()).result();
      @SuppressWarnings("unchecked")
      java.util.List<Map<String, Object>> features = (java.util.List<Map<String, Object>>) result.getOrDefault("features", java.util.List.of());
      long unexplained = result.get("unexplained") instanceof Number n ? n.longValue() : 0;
      long bad = result.get("badRows") instanceof Map<?, ?> b && b.get("total") instanceof Number n ? n.longValue() : 0;
      double ended = s.endedAt() == null ? 0 : s.endedAt().atZone(java.time.ZoneId.systemDefault()).toEpochSecond();
      record(s.groupBy(), new ConsistencyReport(features, unexplained), bad, ended);
    }
  }

  /** @param endedSeconds when the run ended, epoch seconds */
  void record(String groupBy, ConsistencyReport report, long badRows, double endedSeconds) {
    for (Map<String, Object> f : report.features()) {
      String feature = (String) f.get("feature");
      set("tessera.consistency.mismatch_rate", "mismatching share of the logged values (latest run)", groupBy, feature,
          ((Number) f.get("mismatchRate")).doubleValue());
      @SuppressWarnings("unchecked")
      Map<String, ? extends Number> causes = (Map<String, ? extends Number>) f.get("causes");
      set("tessera.consistency.unexplained", "mismatches no log explains (latest run): must be 0", groupBy, feature,
          causes.get(Cause.UNEXPLAINED.name()).doubleValue());
      set("tessera.consistency.rows_compared", "logged values compared (latest run)", groupBy, feature,
          ((Number) f.get("rowsCompared")).doubleValue());
    }
    set("tessera.consistency.bad_rows", "feature log rows that could not be checked (latest run)", groupBy, null, badRows);
    set("tessera.consistency.last_run_seconds", "when the latest consistency run ended (epoch seconds)", groupBy, null, endedSeconds);
  }

  private void set(String name, String description, String groupBy, String feature, double value) {
    String id = name + "|" + groupBy + "|" + feature;
    values.computeIfAbsent(id, k -> {
      AtomicReference<Double> ref = new AtomicReference<>(0.0);
      Gauge.Builder<AtomicReference<Double>> b = Gauge.builder(name, ref, AtomicReference::get).description(description).tag("groupBy", groupBy);
      if (feature != null) b.tag("feature", feature);
      b.register(registry);
      return ref;
    }).set(value);
  }
}
