package dev.tessera.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardTest {

  @Test
  void metricNamesAreTheSeriesNotTheFunctionsLabelsOrDurations() {
    assertThat(Dashboard.metricNames(
        "histogram_quantile(0.99, sum by (le) (rate(tessera_fetch_latency_seconds_bucket{groupBy=~\"a|b\"}[5m])))"))
        .containsExactly("tessera_fetch_latency_seconds_bucket");
    assertThat(Dashboard.metricNames(
        "sum by (spring_batch_job_name) (increase(spring_batch_job_seconds_sum[1d])) / sum without (instance) (increase(spring_batch_job_seconds_count[1d]))"))
        .containsExactly("spring_batch_job_seconds_count", "spring_batch_job_seconds_sum");
    assertThat(Dashboard.metricNames("time() - max by (groupBy, join) (tessera_consistency_last_run_seconds) > bool 0 offset 5m"))
        .containsExactly("tessera_consistency_last_run_seconds");
    assertThat(Dashboard.metricNames("sum(jvm_memory_used_bytes{area=\"heap\"}) / on (instance) group_left jvm_memory_max_bytes"))
        .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes");
  }

  @Test
  void panelsKeepTheirRowTitleAndOrderAndRowsWithoutQueriesAreNotPanels() {
    Dashboard d = Dashboard.parse("""
        {"panels": [
          {"type": "row", "title": "Fetcher", "panels": []},
          {"type": "timeseries", "title": "Fetch rate", "targets": [{"expr": "sum(rate(tessera_fetch_latency_seconds_count[5m]))"}]},
          {"type": "text", "title": "A note"},
          {"type": "row", "title": "Streaming", "collapsed": true, "panels": [
            {"type": "stat", "title": "Lag", "targets": [{"expr": "max(tessera_stream_consumer_lag)"}, {"expr": " "}]}]},
          {"type": "stat", "title": "Freshness", "targets": [{"expr": "max(tessera_stream_freshness_seconds)"}]}
        ]}""");
    assertThat(d.panels()).extracting(Dashboard.Panel::row, Dashboard.Panel::title)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Fetcher", "Fetch rate"), org.assertj.core.groups.Tuple.tuple("Streaming", "Lag"),
            org.assertj.core.groups.Tuple.tuple("Streaming", "Freshness"));
    assertThat(d.panels().get(1).expressions()).containsExactly("max(tessera_stream_consumer_lag)");
    assertThat(d.metricNames()).containsExactly("tessera_fetch_latency_seconds_count", "tessera_stream_consumer_lag",
        "tessera_stream_freshness_seconds");
  }
}
