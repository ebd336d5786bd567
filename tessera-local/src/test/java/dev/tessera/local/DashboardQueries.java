package dev.tessera.local;

import dev.tessera.support.metrics.Dashboard;
import dev.tessera.support.metrics.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names the Grafana dashboard ({@code deploy/grafana/dashboards/tessera.json}) queries
 * and the names the running services export. A dashboard panel over a name no service exports is
 * empty forever without an error: the end-to-end test compares the two.
 */
final class DashboardQueries {
  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "tessera.json");

  private DashboardQueries() {}

  /** The metric names of the repository's dashboard. */
  static Set<String> dashboardMetricNames() throws IOException {
    return Dashboard.parse(Files.readString(DASHBOARD)).metricNames();
  }

  /** The metric names every service of the stack exports now (its {@code /actuator/prometheus} page). */
  static Set<String> exportedBy(StackFixture stack) throws IOException, InterruptedException {
    Set<String> names = new TreeSet<>();
    for (Service service : Service.values()) names.addAll(PrometheusText.names(page(stack, service)));
    return names;
  }

  /**
   * The admin UI's Metrics page ({@code /ui/metrics}) as the stack's admin sees it after a form
   * login (session cookie and CSRF token, as a browser does).
   */
  static String metricsPage(StackFixture stack) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build()) {
      String registry = stack.url(Service.REGISTRY);
      String login = http.send(HttpRequest.newBuilder(URI.create(registry + "/login")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login);
      if (!csrf.find()) throw new IllegalStateException("the login page has no CSRF token");
      String form = "username=" + enc(stack.adminUser()) + "&password=" + enc(stack.adminPassword()) + "&_csrf=" + enc(csrf.group(1));
      http.send(HttpRequest.newBuilder(URI.create(registry + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(registry + "/ui/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() != 200 || !page.body().contains("<h1>Metrics</h1>")) {
        throw new IllegalStateException("/ui/metrics answered " + page.statusCode() + " (is the login right?)");
      }
      // the page's text as shown: Thymeleaf escapes quotes and brackets
      return page.body().replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A service's Prometheus text page. */
  static String page(StackFixture stack, Service service) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/actuator/prometheus")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() != 200) throw new IllegalStateException(service + " /actuator/prometheus answered " + page.statusCode());
      return page.body();
    }
  }
}
