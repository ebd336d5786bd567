package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

  @Test
  void theDashboardQueriesTesseraMetricsOfEveryService() throws Exception {
    assertThat(DashboardQueries.dashboardMetricNames())
        .contains("tessera_fetch_latency_seconds_bucket", "tessera_stream_freshness_seconds", "tessera_stream_consumer_lag",
            "tessera_stream_events_deadlettered_total", "tessera_batch_rows_total", "tessera_consistency_mismatches",
            "tessera_registry_outbox_pending");
  }
}
