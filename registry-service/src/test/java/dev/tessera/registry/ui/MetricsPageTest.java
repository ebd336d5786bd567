package dev.tessera.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.registry.ui.PrometheusScraper.Scrape;
import dev.tessera.support.metrics.Dashboard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsPageTest {
  private static final Dashboard DASHBOARD = Dashboard.parse("""
      {"panels": [
        {"type": "row", "title": "Serving"},
        {"type": "timeseries", "title": "Fetch rate", "targets": [{"expr": "sum(rate(tessera_fetch_latency_seconds_count[5m]))"}]},
        {"type": "timeseries", "title": "Freshness", "targets": [{"expr": "max(tessera_stream_freshness_seconds)"}]},
        {"type": "stat", "title": "Last run", "targets": [{"expr": "time() - max(tessera_consistency_last_run_seconds)"}]}
      ]}""");

  /** A clock a test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-07T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void countersGetARateSinceThePreviousViewAndGaugesTheirValue() {
    TestClock clock = new TestClock();
    AtomicReference<String> fetcher = new AtomicReference<>("tessera_fetch_latency_seconds_count{groupBy=\"g\"} 100\n");
    MetricsPage page = new MetricsPage(DASHBOARD, List.of(
        new MetricsPage.Source("fetcher", "http://f", () -> Scrape.ok(fetcher.get())),
        new MetricsPage.Source("stream", "http://s", () -> Scrape.ok("tessera_stream_freshness_seconds{groupBy=\"g\"} 0.25\n"
            + "tessera_consistency_last_run_seconds 1.7655E9\n"))), clock);

    MetricsPage.View first = page.render();
    assertThat(first.window()).isNull();
    MetricsPage.Line count = first.rows().getFirst().panels().getFirst().lines().getFirst();
    assertThat(count).isEqualTo(new MetricsPage.Line("fetcher", "tessera_fetch_latency_seconds_count{groupBy=\"g\"}", "100", ""));

    clock.now = clock.now.plus(Duration.ofSeconds(20));
    fetcher.set("tessera_fetch_latency_seconds_count{groupBy=\"g\"} 150\n");
    MetricsPage.View second = page.render();
    assertThat(second.window()).isEqualTo("20 s");
    List<MetricsPage.PanelView> panels = second.rows().getFirst().panels();
    assertThat(panels.get(0).lines().getFirst().perSecond()).isEqualTo("2.50/s");
    assertThat(panels.get(1).lines().getFirst()).isEqualTo(
        new MetricsPage.Line("stream", "tessera_stream_freshness_seconds{groupBy=\"g\"}", "250 ms", ""));
    assertThat(panels.get(2).lines().getFirst().value()).as("a Unix time in seconds").isEqualTo("2025-12-12T00:40:00Z");

    // a restarted fetcher's counter goes down: no negative rate
    clock.now = clock.now.plus(Duration.ofSeconds(20));
    fetcher.set("tessera_fetch_latency_seconds_count{groupBy=\"g\"} 3\n");
    assertThat(page.render().rows().getFirst().panels().getFirst().lines().getFirst().perSecond()).isEmpty();
  }

  @Test
  void anUnavailableServiceIsReportedAndItsMetricsAreAbsentNotZero() {
    MetricsPage page = new MetricsPage(DASHBOARD, List.of(
        new MetricsPage.Source("fetcher", "http://f", () -> new Scrape(null, "not reachable at http://f")),
        new MetricsPage.Source("stream", "http://s", () -> Scrape.ok("# nothing yet\n"))), new TestClock());
    MetricsPage.View view = page.render();
    assertThat(view.services()).containsExactly(new MetricsPage.ServiceStatus("fetcher", "http://f", 0, "not reachable at http://f"),
        new MetricsPage.ServiceStatus("stream", "http://s", 0, null));
    MetricsPage.PanelView rate = view.rows().getFirst().panels().getFirst();
    assertThat(rate.lines()).isEmpty();
    assertThat(rate.absent()).containsExactly("tessera_fetch_latency_seconds_count");
  }

  @Test
  void aPanelShowsAtMostItsLineLimitAndCountsTheRest() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < MetricsPage.LINES_PER_PANEL + 7; i++) text.append("tessera_stream_freshness_seconds{groupBy=\"g").append(i).append("\"} 1\n");
    MetricsPage.View view = new MetricsPage(DASHBOARD, List.of(new MetricsPage.Source("stream", "s", () -> Scrape.ok(text.toString()))),
        new TestClock()).render();
    MetricsPage.PanelView freshness = view.rows().getFirst().panels().get(1);
    assertThat(freshness.lines()).hasSize(MetricsPage.LINES_PER_PANEL);
    assertThat(freshness.more()).isEqualTo(7);
  }

  @Test
  void quantilesInterpolateWithinTheBucketLikeHistogramQuantile() {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    buckets.put(0.001, 50.0);
    buckets.put(0.002, 90.0);
    buckets.put(0.004, 100.0);
    buckets.put(Double.POSITIVE_INFINITY, 100.0);
    assertThat(MetricsPage.quantile(0.5, buckets)).isCloseTo(0.001, within(1e-12));
    assertThat(MetricsPage.quantile(0.7, buckets)).isCloseTo(0.0015, within(1e-12));
    assertThat(MetricsPage.quantile(0.99, buckets)).isCloseTo(0.0038, within(1e-12));
    // a rank in +Inf answers the highest finite bound, as Prometheus does
    buckets.put(Double.POSITIVE_INFINITY, 200.0);
    assertThat(MetricsPage.quantile(0.99, buckets)).isEqualTo(0.004);
    assertThat(MetricsPage.quantile(0.5, new TreeMap<>(java.util.Map.of(Double.POSITIVE_INFINITY, 0.0)))).isNaN();
  }
}
