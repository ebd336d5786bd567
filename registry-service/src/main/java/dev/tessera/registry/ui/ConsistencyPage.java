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
   * A Join report's parts summed: values compared, mismatches and mismatches by cause over the days
   * shown, so the page can say them in one line.
   */
  static Map<String, Object> totals(List<Map<String, Object>> parts) {
    long compared = 0;
    long mismatches = 0;
    Map<String, Long> causes = new java.util.LinkedHashMap<>();
    for (String c : List.of("LATE_EVENT", "STALE_BATCH", "VERSION_MISMATCH", "UNEXPLAINED")) causes.put(c, 0L);
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
