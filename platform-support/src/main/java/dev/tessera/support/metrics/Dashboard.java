package dev.tessera.support.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Tessera Grafana dashboard ({@code deploy/grafana/dashboards/tessera.json}) as the metrics it
 * shows: its panels in order, each with its row, title, PromQL expressions and the metric names
 * those expressions read. The admin UI's Metrics page shows the same panels without Prometheus, and
 * the end-to-end test checks that every name is exported by a running service, so the file is the
 * one definition of "the dashboard".
 */
public final class Dashboard {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
      "and", "or", "unless", "offset", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern NAME = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

  /**
   * One graph or stat of the dashboard.
   *
   * @param row the title of the row it sits under ("" before the first row)
   * @param metrics the metric names its expressions read, sorted
   */
  public record Panel(String row, String title, List<String> expressions, Set<String> metrics) {}

  private final List<Panel> panels;

  private Dashboard(List<Panel> panels) {
    this.panels = List.copyOf(panels);
  }

  /** Reads a Grafana dashboard's JSON; rows, nested or flat, give their panels a row title. */
  public static Dashboard parse(String json) {
    List<Panel> out = new ArrayList<>();
    collect(JSON.readTree(json).path("panels"), "", out);
    return new Dashboard(out);
  }

  private static String collect(JsonNode panels, String row, List<Panel> out) {
    for (JsonNode panel : panels) {
      String title = panel.path("title").asString("");
      if ("row".equals(panel.path("type").asString(""))) {
        row = title;
        collect(panel.path("panels"), row, out); // a collapsed row holds its panels inside
        continue;
      }
      List<String> expressions = new ArrayList<>();
      Set<String> metrics = new TreeSet<>();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asString("");
        if (expr.isBlank()) continue;
        expressions.add(expr);
        metrics.addAll(metricNames(expr));
      }
      if (!expressions.isEmpty()) out.add(new Panel(row, title, List.copyOf(expressions), Set.copyOf(metrics)));
    }
    return row;
  }

  public List<Panel> panels() {
    return panels;
  }

  /** Every metric name any panel reads. */
  public Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    panels.forEach(p -> names.addAll(p.metrics()));
    return names;
  }

  /**
   * The metric names of one PromQL expression: not functions, label names, keywords, durations or
   * numbers. A reader of names, not a PromQL parser: label matchers, ranges and grouping clauses are
   * blanked out first, then every remaining identifier not followed by '(' is a metric.
   */
  public static Set<String> metricNames(String expr) {
    String e = STRING.matcher(expr).replaceAll(" ");
    e = MATCHERS.matcher(e).replaceAll(" ");
    e = RANGE.matcher(e).replaceAll(" ");
    e = GROUPING.matcher(e).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(e);
    while (m.find()) {
      String name = m.group(1);
      if (!KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) names.add(name);
    }
    return names;
  }
}
