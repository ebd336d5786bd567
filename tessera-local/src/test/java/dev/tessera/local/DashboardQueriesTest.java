package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

  @Test
  void metricNamesAreTheSeriesNotTheFunctionsLabelsOrDurations() {
    assertThat(DashboardQueries.metricNames(
        "histogram_quantile(0.99, sum by (le) (rate(tessera_fetch_latency_seconds_bucket{groupBy=~\"a|b\"}[5m])))"))
        .containsExactly("tessera_fetch_latency_seconds_bucket");
    assertThat(DashboardQueries.metricNames(
        "sum by (spring_batch_job_name) (increase(spring_batch_job_seconds_sum[1d])) / sum without (instance) (increase(spring_batch_job_seconds_count[1d]))"))
        .containsExactly("spring_batch_job_seconds_count", "spring_batch_job_seconds_sum");
    assertThat(DashboardQueries.metricNames("time() - max by (groupBy, join) (tessera_consistency_last_run_seconds) > bool 0 offset 5m"))
        .containsExactly("tessera_consistency_last_run_seconds");
    assertThat(DashboardQueries.metricNames("sum(jvm_memory_used_bytes{area=\"heap\"}) / on (instance) group_left jvm_memory_max_bytes"))
        .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes");
  }

  @Test
  void exportedNamesAreReadFromSampleLinesNotComments() {
    String page = """
        # HELP tessera_fetch_stale_total results served from batch data a day or more old
        # TYPE tessera_fetch_stale_total counter
        tessera_fetch_stale_total{groupBy="g"} 0.0
        process_uptime_seconds 12.5
        """;
    assertThat(DashboardQueries.exported(page)).containsExactly("process_uptime_seconds", "tessera_fetch_stale_total");
  }

  @Test
  void theDashboardQueriesTesseraMetricsOfEveryService() throws Exception {
    assertThat(DashboardQueries.dashboardMetricNames())
        .contains("tessera_fetch_latency_seconds_bucket", "tessera_stream_freshness_seconds", "tessera_stream_consumer_lag",
            "tessera_stream_events_deadlettered_total", "tessera_batch_rows_total", "tessera_consistency_mismatches",
            "tessera_registry_outbox_pending");
  }
}
