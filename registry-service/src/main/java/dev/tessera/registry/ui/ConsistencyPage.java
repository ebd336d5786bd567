package dev.tessera.registry.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The consistency page's chart, computed on the server (no script): one bar per day, its height the
 * share of logged values that did not match, drawn in SVG user units; a day with unexplained
 * mismatches is marked, since that number must be 0.
 */
public final class ConsistencyPage {
  static final double WIDTH = 720;
  static final double HEIGHT = 180;
  static final double LEFT = 48;
  static final double BOTTOM = 24;

  /** One bar: where it goes and what its tooltip says. */
  public record Bar(double x, double y, double width, double height, String ds, String label, boolean unexplained) {}

  /** The chart: bars, the value at the top of the scale, and the y of its gridlines. */
  public record Chart(List<Bar> bars, String top, double plotTop, double plotBottom, double width, double height) {}

  private ConsistencyPage() {}

  static Chart chart(List<Map<String, Object>> days) {
    double max = 0;
    for (Map<String, Object> d : days) max = Math.max(max, number(d.get("mismatchRate")));
    // a scale that shows small rates and never divides by 0: at least 1%
    double top = Math.max(max, 0.01);
    double plotWidth = WIDTH - LEFT - 8;
    double plotHeight = HEIGHT - BOTTOM - 8;
    double slot = days.isEmpty() ? plotWidth : plotWidth / days.size();
    double barWidth = Math.max(2, Math.min(40, slot * 0.7));
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < days.size(); i++) {
      Map<String, Object> d = days.get(i);
      double rate = number(d.get("mismatchRate"));
      double h = rate <= 0 ? 0 : Math.max(1.5, plotHeight * rate / top);
      double x = LEFT + slot * i + (slot - barWidth) / 2;
      long unexplained = (long) number(d.get("unexplained"));
      String label = String.format(Locale.ROOT, "%s: %s of %,d values mismatched (%,d unexplained)", d.get("ds"), percent(rate),
          (long) number(d.get("rowsCompared")), unexplained);
      bars.add(new Bar(round(x), round(8 + plotHeight - h), round(barWidth), round(h), String.valueOf(d.get("ds")), label, unexplained > 0));
    }
    return new Chart(bars, percent(top), 8, 8 + plotHeight, WIDTH, HEIGHT);
  }

  /**
   * The causes a report can give, in the order the page shows them (batch-service's {@code Cause},
   * UNEXPLAINED last). A cause the batch service adds later still shows, before UNEXPLAINED.
   */
  static final List<String> CAUSES = List.of("LATE_EVENT", "ARRIVED_AFTER_FETCH", "AT_MILLIS_IN_TILE", "STREAM_BEHIND", "STALE_BATCH",
      "VERSION_MISMATCH", "UNEXPLAINED");

  /** Every cause the rows name, known ones in {@link #CAUSES} order, unknown ones before UNEXPLAINED. */
  static List<String> causeColumns(List<Map<String, Object>> rows) {
    java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
    for (Map<String, Object> r : rows) if (r.get("causes") instanceof Map<?, ?> m) m.keySet().forEach(k -> seen.add(String.valueOf(k)));
    List<String> out = new java.util.ArrayList<>(CAUSES.subList(0, CAUSES.size() - 1));
    seen.stream().filter(c -> !CAUSES.contains(c)).forEach(out::add);
    out.add("UNEXPLAINED");
    return out;
  }

  /** A cause and its count, for a sentence. */
  public record CauseCount(String label, long count) {}

  /** The explained causes with mismatches, in {@code columns} order: "3 late event, 2 stale batch". */
  public static List<CauseCount> explained(Map<String, ?> causes, List<String> columns) {
    return columns.stream().filter(c -> !c.equals("UNEXPLAINED")).filter(c -> number(causes.get(c)) > 0)
        .map(c -> new CauseCount(causeLabel(c), (long) number(causes.get(c)))).toList();
  }

  /** "ARRIVED_AFTER_FETCH" -> "arrived after fetch". */
  public static String causeLabel(String cause) {
    return cause.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * A feature's freshness delays (delay bucket -> mismatches put down to an event that arrived after
   * the fetch) as one short text, empty buckets left out: "&lt; 1s: 12, 1-10s: 3".
   */
  public static String delays(Object freshnessDelays) {
    if (!(freshnessDelays instanceof Map<?, ?> m)) return "";
    StringBuilder sb = new StringBuilder();
    m.forEach((bucket, n) -> {
      if (number(n) > 0) sb.append(sb.isEmpty() ? "" : ", ").append(bucket).append(": ").append((long) number(n));
    });
    return sb.toString();
  }

  /**
   * A Join report's parts summed: values compared, mismatches and mismatches by cause over the days
   * shown, so the page can say them in one line.
   */
  static Map<String, Object> totals(List<Map<String, Object>> parts) {
    long compared = 0;
    long mismatches = 0;
    Map<String, Long> causes = new java.util.LinkedHashMap<>();
    for (String c : CAUSES) causes.put(c, 0L);
    for (Map<String, Object> p : parts) {
      compared += (long) number(p.get("rowsCompared"));
      mismatches += (long) number(p.get("mismatches"));
      if (p.get("causes") instanceof Map<?, ?> m) m.forEach((k, v) -> causes.merge(String.valueOf(k), (long) number(v), Long::sum));
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("rowsCompared", compared);
    out.put("mismatches", mismatches);
    out.put("mismatchRate", compared == 0 ? 0.0 : (double) mismatches / compared);
    out.put("causes", causes);
    return out;
  }

  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

  /** A sample with its keys and values as JSON text. */
  static Map<String, Object> asJsonText(Map<String, Object> sample) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(sample);
    for (String field : List.of("keys", "onlineValue", "offlineValue")) {
      Object v = sample.get(field);
      out.put(field, v == null ? "null" : JSON.writeValueAsString(v));
    }
    return out;
  }

  public static String percent(Object rate) {
    double r = number(rate);
    if (r == 0) return "0%";
    return r < 0.0001 ? String.format(Locale.ROOT, "%.4f%%", r * 100) : String.format(Locale.ROOT, "%.2f%%", r * 100);
  }

  static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : 0;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
