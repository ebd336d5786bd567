package dev.tessera.support.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Samples of a Prometheus text page ({@code /actuator/prometheus}, exposition format 0.0.4):
 * {@code name{label="value",...} value [timestamp]} lines; comments and blank lines are skipped,
 * label values are unescaped ({@code \\}, {@code \"}, {@code \n}).
 */
public final class PrometheusText {

  /** One line of the page. {@code labels} keep the page's order. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  public static List<Sample> parse(String page) {
    List<Sample> samples = new ArrayList<>();
    for (String line : page.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      Sample s = sample(l);
      if (s != null) samples.add(s);
    }
    return samples;
  }

  /** The distinct metric names on a page. */
  public static Set<String> names(String page) {
    Set<String> names = new TreeSet<>();
    parse(page).forEach(s -> names.add(s.name()));
    return names;
  }

  /** One sample line, or null when it is not one (the page is a foreign service's: skip, do not fail). */
  static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && isNameChar(line.charAt(i), i == 0)) i++;
    if (i == 0) return null;
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
      if (i < 0) return null;
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length == 0 || rest[0].isEmpty()) return null;
    try {
      return new Sample(name, Collections.unmodifiableMap(labels), value(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after '}', or -1 when malformed. */
  private static int labels(String line, int i, Map<String, String> labels) {
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '}') return i + 1;
      if (c == ',' || c == ' ') {
        i++;
        continue;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') return -1;
      String label = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char v = line.charAt(j);
        if (v == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(v);
        }
      }
      if (j >= line.length()) return -1;
      labels.put(label, value.toString());
      i = j + 1;
    }
    return -1;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  }
}
