package dev.tessera.registry.ui;

import dev.tessera.registry.ui.PrometheusScraper.Scrape;
import dev.tessera.support.metrics.Dashboard;
import dev.tessera.support.metrics.PrometheusText;
import dev.tessera.support.metrics.PrometheusText.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The admin UI's Metrics page: the panels of the Grafana dashboard ({@link Dashboard}, the same
 * file compose provisions) filled from the four services' Prometheus pages, for a machine without
 * Prometheus and Grafana ({@code bin/tessera local}). It shows what a scrape can show without a
 * time-series database: every series a panel reads with its current value, counters as totals
 * since the service started plus their rate per second since the previous view of the page, and
 * histograms as p50 / p95 / p99 since start, interpolated within buckets as {@code histogram_quantile}
 * does. Time is injected so the rates are testable.
 */
final class MetricsPage {
  static final String BUNDLED = "/dashboard/tessera.json";
  static final int LINES_PER_PANEL = 40;
  private static final double[] QUANTILES = {0.5, 0.95, 0.99};
  /** Labels every line carries and the service column already says. */
  private static final Set<String> HIDDEN_LABELS = Set.of("application", "le");

  /** A service the page reads: its name, where (a URL or "this service") and how. */
  record Source(String service, String where, Supplier<Scrape> scrape) {
    static Source local(String service, Supplier<String> page) {
      return new Source(service, "this service", () -> Scrape.ok(page.get()));
    }

    static Source remote(String service, URI base, PrometheusScraper scraper) {
      return new Source(service, PrometheusScraper.pageOf(base).toString(), () -> scraper.scrape(base));
    }
  }

  record ServiceStatus(String service, String where, int samples, String error) {}

  /**
   * One shown series.
   *
   * @param perSecond the counter's rate since the previous view, or "" when it is not a counter or
   *     there was no previous view
   */
  record Line(String service, String series, String value, String perSecond) {}

  record PanelView(String title, List<String> expressions, List<Line> lines, int more, List<String> absent) {}

  record RowView(String title, List<PanelView> panels) {}

  record View(List<ServiceStatus> services, List<RowView> rows, String window) {}

  private record Snapshot(Instant at, Map<String, Double> counters) {}

  private final Dashboard dashboard;
  private final List<Source> sources;
  private final Clock clock;
  private final AtomicReference<Snapshot> previous = new AtomicReference<>();

  MetricsPage(Dashboard dashboard, List<Source> sources, Clock clock) {
    this.dashboard = dashboard;
    this.sources = List.copyOf(sources);
    this.clock = clock;
  }

  /** The dashboard packaged in the registry's jar (registry-service pom.xml copies it from deploy/grafana). */
  static Dashboard bundledDashboard() {
    try (InputStream in = MetricsPage.class.getResourceAsStream(BUNDLED)) {
      if (in == null) throw new IllegalStateException(BUNDLED + " is not on the classpath: the registry jar was built without deploy/grafana");
      return Dashboard.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  View render() {
    List<ServiceStatus> statuses = new ArrayList<>();
    Map<String, List<Sample>> byName = new HashMap<>();
    // identity: two services may export the same series, equal as records
    Map<Sample, String> serviceOf = new java.util.IdentityHashMap<>();
    for (Source source : sources) {
      Scrape scrape = source.scrape().get();
      if (scrape.error() != null) {
        statuses.add(new ServiceStatus(source.service(), source.where(), 0, scrape.error()));
        continue;
      }
      List<Sample> samples = PrometheusText.parse(scrape.text());
      statuses.add(new ServiceStatus(source.service(), source.where(), samples.size(), null));
      for (Sample s : samples) {
        byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        serviceOf.put(s, source.service());
      }
    }
    Instant now = clock.instant();
    Snapshot before = previous.get();
    Map<String, Double> counters = new HashMap<>();
    Map<String, RowView> rows = new LinkedHashMap<>();
    for (Dashboard.Panel panel : dashboard.panels()) {
      List<Line> lines = new ArrayList<>();
      List<String> absent = new ArrayList<>();
      for (String name : panel.metrics()) {
        List<Sample> samples = byName.getOrDefault(name, List.of());
        if (samples.isEmpty()) {
          absent.add(name);
        } else if (name.endsWith("_bucket")) {
          lines.addAll(quantiles(name, samples, serviceOf, before, now, byName, counters));
        } else {
          for (Sample s : samples) {
            String key = serviceOf.get(s) + "|" + series(s.name(), s.labels());
            String rate = isCounter(name) ? rate(key, s.value(), before, now, counters) : "";
            lines.add(new Line(serviceOf.get(s), series(s.name(), s.labels()), format(name, s.value()), rate));
          }
        }
      }
      int more = Math.max(0, lines.size() - LINES_PER_PANEL);
      PanelView view = new PanelView(panel.title(), panel.expressions(), List.copyOf(lines.subList(0, lines.size() - more)), more, absent);
      rows.computeIfAbsent(panel.row(), r -> new RowView(r, new ArrayList<>())).panels().add(view);
    }
    previous.set(new Snapshot(now, counters));
    String window = before == null ? null : human(Duration.between(before.at(), now));
    return new View(statuses, List.copyOf(rows.values()), window);
  }

  /** A histogram's p50 / p95 / p99 since start per series (its labels without {@code le}), and its count's rate. */
  private static List<Line> quantiles(String bucketName, List<Sample> buckets, Map<Sample, String> serviceOf, Snapshot before, Instant now,
      Map<String, List<Sample>> byName, Map<String, Double> counters) {
    String base = bucketName.substring(0, bucketName.length() - "_bucket".length());
    Map<String, TreeMap<Double, Double>> series = new TreeMap<>();
    Map<String, String> serviceOfSeries = new HashMap<>();
    for (Sample s : buckets) {
      String le = s.labels().get("le");
      if (le == null) continue;
      double bound;
      try {
        bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      } catch (NumberFormatException e) {
        continue;
      }
      String key = serviceOf.get(s) + "|" + series(base, s.labels());
      serviceOfSeries.put(key, serviceOf.get(s));
      series.computeIfAbsent(key, k -> new TreeMap<>()).merge(bound, s.value(), Double::sum);
    }
    List<Line> lines = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Double, Double>> e : series.entrySet()) {
      String service = serviceOfSeries.get(e.getKey());
      String shown = e.getKey().substring(service.length() + 1);
      double count = e.getValue().lastEntry().getValue();
      String value = count == 0 ? "no observations" : java.util.Arrays.stream(QUANTILES)
          .mapToObj(q -> "p" + Math.round(q * 100) + " " + format(base, quantile(q, e.getValue()))).collect(Collectors.joining(" · "))
          + " (" + format("", count) + " since start)";
      String rate = rate(e.getKey() + "#count", count, before, now, counters);
      lines.add(new Line(service, shown, value, rate));
    }
    return lines;
  }

  /**
   * The q-quantile of cumulative buckets (upper bound to count), as Prometheus' histogram_quantile:
   * linear within the bucket that holds the rank; the highest finite bound when it falls in +Inf.
   */
  static double quantile(double q, TreeMap<Double, Double> cumulative) {
    double total = cumulative.lastEntry().getValue();
    if (total <= 0) return Double.NaN;
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) return lowerBound;
        double inBucket = b.getValue() - lowerCount;
        return inBucket <= 0 ? b.getKey() : lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = b.getKey();
      lowerCount = b.getValue();
    }
    return lowerBound;
  }

  private static String rate(String key, double value, Snapshot before, Instant now, Map<String, Double> counters) {
    counters.put(key, value);
    if (before == null) return "";
    Double old = before.counters().get(key);
    double seconds = Duration.between(before.at(), now).toMillis() / 1000.0;
    // a counter that went down belongs to a restarted service: no rate rather than a negative one
    if (old == null || seconds < 1 || value < old) return "";
    return format("", (value - old) / seconds) + "/s";
  }

  private static boolean isCounter(String name) {
    return name.endsWith("_total") || name.endsWith("_count");
  }

  static String series(String name, Map<String, String> labels) {
    String shown = labels.entrySet().stream().filter(l -> !HIDDEN_LABELS.contains(l.getKey()))
        .map(l -> l.getKey() + "=\"" + l.getValue() + "\"").collect(Collectors.joining(","));
    return shown.isEmpty() ? name : name + "{" + shown + "}";
  }

  /** Seconds as ms or s, bytes as MiB, other numbers with at most 3 decimals and no ".0". */
  static String format(String name, double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (name.endsWith("_seconds") && v > 1e9) return Instant.ofEpochMilli(Math.round(v * 1000)).toString(); // a Unix time
    if (name.endsWith("_seconds") || name.endsWith("_seconds_max") || name.endsWith("_seconds_sum")) {
      return Math.abs(v) < 1 ? number(v * 1000) + " ms" : number(v) + " s";
    }
    if (name.contains("_bytes")) return number(v / (1024 * 1024)) + " MiB";
    return number(v);
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    double abs = Math.abs(v);
    return String.format(Locale.ROOT, abs >= 100 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f", v);
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : d.toMinutes() + " min";
  }
}
