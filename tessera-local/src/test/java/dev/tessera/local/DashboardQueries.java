package dev.tessera.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metric names the Grafana dashboard ({@code deploy/grafana/dashboards/tessera.json}) queries,
 * read from the PromQL of its panels, and the names a service's {@code /actuator/prometheus} page
 * exports. A dashboard panel over a name no service exports is empty forever without an error: the
 * end-to-end test compares the two.
 */
final class DashboardQueries {
  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "tessera.json");

  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
      "and", "or", "unless", "offset", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern NAME = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  private DashboardQueries() {}

  /** Every PromQL expression of the dashboard's panels (rows included), in order. */
  static java.util.List<String> expressions(JsonNode dashboard) {
    java.util.List<String> out = new java.util.ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, java.util.List<String> out) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asString("");
        if (!expr.isBlank()) out.add(expr);
      }
      collect(panel.path("panels"), out);
    }
  }

  /** The metric names of one PromQL expression: not functions, label names, keywords, durations or numbers. */
  static Set<String> metricNames(String expr) {
    String e = STRING.matcher(expr).replaceAll(" ");
    e = MATCHERS.matcher(e).replaceAll(" ");
    e = RANGE.matcher(e).replaceAll(" ");
    e = GROUPING.matcher(e).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(e);
    while (m.find()) {
      String name = m.group(1);
      if (!KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) names.add(name);
    }
    return names;
  }

  /** The metric names of the repository's dashboard. */
  static Set<String> dashboardMetricNames() throws IOException {
    JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
    Set<String> names = new TreeSet<>();
    for (String expr : expressions(dashboard)) names.addAll(metricNames(expr));
    return names;
  }

  /** The metric names every service of the stack exports now (its {@code /actuator/prometheus} page). */
  static Set<String> exportedBy(StackFixture stack) throws IOException, InterruptedException {
    Set<String> names = new TreeSet<>();
    for (Service service : Service.values()) names.addAll(exported(page(stack, service)));
    return names;
  }

  /** A service's Prometheus text page. */
  static String page(StackFixture stack, Service service) throws IOException, InterruptedException {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(stack.url(service) + "/actuator/prometheus")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() != 200) throw new IllegalStateException(service + " /actuator/prometheus answered " + page.statusCode());
      return page.body();
    }
  }

  /** The metric names of samples on a Prometheus text page ({@code name{labels} value} or {@code name value}). */
  static Set<String> exported(String prometheusText) {
    Set<String> names = new TreeSet<>();
    Matcher m = SAMPLE.matcher(prometheusText);
    while (m.find()) names.add(m.group(1));
    return names;
  }
}
