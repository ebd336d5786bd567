package dev.tessera.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.RegistryHttpTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

/**
 * The Metrics page over HTTP with a real login: the registry's own series, the stand-in fetcher's
 * page, and a stream and batch service that are not there, said plainly.
 */
class MetricsPageHttpTest extends RegistryHttpTestBase {

  @DynamicPropertySource
  static void absentServices(DynamicPropertyRegistry registry) {
    // port 1 refuses connections: neither service runs in this test
    registry.add("tessera.registry.stream-url", () -> "http://127.0.0.1:1");
    registry.add("tessera.registry.batch-url", () -> "http://127.0.0.1:1/batch");
  }

  @Test
  void aReaderSeesTheDashboardsPanelsFilledFromEveryReachableService() throws Exception {
    UiSession s = new UiSession(port);
    s.login(READER, READER_PASSWORD);
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/groupbys").body())).contains("href=\"/ui/metrics\"");

    var response = s.get("/ui/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    String page = HtmlUtils.htmlUnescape(response.body());
    // every row and panel of the dashboard file, in its order
    assertThat(page).containsSubsequence(">Fetcher: serving</h2>", ">Fetch latency p50 / p95 / p99</h3>", ">Streaming</h2>",
        ">Consumer lag</h3>", ">Batch jobs</h2>", ">Registry and feature log</h2>", ">Outbox backlog</h3>");
    // the fetcher's histogram as percentiles (the 50th of 100 is the top of the first bucket, 1 ms), its errors as a total
    assertThat(page).contains("tessera_fetch_latency_seconds{groupBy=\"purchases\"}")
        .contains("p50 1 ms · p95 3 ms · p99 3.80 ms (100 since start)")
        .contains("tessera_fetch_errors_total{groupBy=\"purchases\",kind=\"timeout\"}");
    // the registry reads its own registry (no HTTP) and says which services it could not read
    assertThat(page).contains("data-service=\"registry\"").contains("tessera_registry_outbox_pending");
    assertThat(page).contains("http://127.0.0.1:1/batch/actuator/prometheus")
        .contains("not reachable at http://127.0.0.1:1 (connection refused or timed out)");
    assertThat(page).contains("Not exported yet:").contains("tessera_stream_consumer_lag");
  }

  @Test
  void theMetricsPageNeedsALogin() throws Exception {
    var response = new UiSession(port).get("/ui/metrics");
    assertThat(response.statusCode()).isIn(302, 303);
  }
}
