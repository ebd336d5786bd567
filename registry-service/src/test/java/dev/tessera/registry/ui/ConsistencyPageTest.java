package dev.tessera.registry.ui;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.registry.RegistryHttpTestBase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

/**
 * The consistency page over HTTP with a real login, reading from a stand-in batch service that
 * answers {@code GET /api/v1/consistency/{groupBy}} in the documented shape (batch-service README
 * "Consistency"); a GroupBy whose name starts with "down" gets a 503.
 */
class ConsistencyPageTest extends RegistryHttpTestBase {
  static final String REPORT = """
      {"groupBy": "%s", "reportTable": "%1$s_consistency_daily", "samplesTable": "%1$s_consistency_samples",
       "latest": {"jobId": 17, "version": 1, "startDate": "2026-03-02", "endDate": "2026-03-03", "endedAt": "2026-03-04T01:00:00",
         "result": {"reportTable": "%1$s_consistency_daily", "samplesTable": "%1$s_consistency_samples", "unexplained": 0,
           "features": [
             {"feature": "amount_avg_1h", "rowsCompared": 200, "mismatches": 4, "mismatchRate": 0.02, "smape": 0.5, "maxAbsDiff": 77.5,
              "causes": {"LATE_EVENT": 3, "STALE_BATCH": 1, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
             {"feature": "merchant_last_k", "rowsCompared": 200, "mismatches": 0, "mismatchRate": 0.0, "smape": null, "maxAbsDiff": null,
              "causes": {"LATE_EVENT": 0, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}}],
           "fetchesChecked": 200, "badRows": {"total": 2, "reasons": {"unknown version": 2}, "samples": []}}},
       "days": [
         {"ds": "2026-03-02", "rowsCompared": 200, "mismatches": 0, "unexplained": 0, "mismatchRate": 0.0, "features": []},
         {"ds": "2026-03-03", "rowsCompared": 200, "mismatches": 4, "unexplained": 0, "mismatchRate": 0.02, "features": []}],
       "samples": [{"feature": "amount_avg_1h", "ds": "2026-03-03", "keys": {"user_id": "u3"}, "asOf": 1772535600000, "loggedVersion": 1,
         "onlineValue": 12.5, "offlineValue": 45.0, "absDiff": 32.5, "cause": "LATE_EVENT", "jobId": 17}]}""";
  private static final HttpServer BATCH = startBatch();

  @DynamicPropertySource
  static void batch(DynamicPropertyRegistry registry) {
    registry.add("tessera.registry.batch-url", () -> "http://127.0.0.1:" + BATCH.getAddress().getPort());
  }

  private static HttpServer startBatch() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/v1/consistency/", exchange -> {
        String name = exchange.getRequestURI().getPath().substring("/api/v1/consistency/".length());
        boolean down = name.startsWith("down");
        byte[] out = (down ? "{\"title\": \"Unavailable\", \"status\": 503, \"detail\": \"the warehouse does not answer\"}"
            : REPORT.formatted(name)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(down ? 503 : 200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(String name) {
    http.post().uri("/api/v1/groupbys").contentType(MediaType.parseMediaType("application/yaml"))
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(name)).exchange().expectStatus().isCreated();
  }

  @Test
  void theLatestReportThePerDayChartAndTheSamplesAreShown() throws Exception {
    String name = uniqueName("cons_ui");
    publish(name);
    UiSession s = new UiSession(port);
    assertThat(s.login(READER, READER_PASSWORD)).endsWith("/ui/groupbys");
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + name).body())).contains("/ui/groupbys/" + name + "/consistency");

    var response = s.get("/ui/groupbys/" + name + "/consistency");
    assertThat(response.statusCode()).isEqualTo(200);
    String page = HtmlUtils.htmlUnescape(response.body());
    assertThat(page).contains("id=\"unexplained\"").contains("0 unexplained").contains("job <span class=\"mono\">17</span>")
        .contains("data-feature=\"amount_avg_1h\"").contains("data-feature=\"merchant_last_k\"").contains("2.00%")
        .contains("2 log rows could not be checked");
    assertThat(page).contains("id=\"rate-chart\"").contains("data-ds=\"2026-03-02\"").contains("data-ds=\"2026-03-03\"")
        .contains("2026-03-03: 2.00% of 200 values mismatched (0 unexplained)");
    assertThat(page).contains("data-cause=\"LATE_EVENT\"").contains("{\"user_id\":\"u3\"}").contains("45.0");
  }

  @Test
  void anUnreachableOrFailingBatchServiceIsSaidPlainly() throws Exception {
    String name = uniqueName("down_ui");
    publish(name);
    UiSession s = new UiSession(port);
    s.login(READER, READER_PASSWORD);
    String page = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + name + "/consistency").body());
    assertThat(page).contains("id=\"consistency-error\"").contains("The batch service answered 503: the warehouse does not answer");
    assertThat(s.get("/ui/groupbys/no_such_groupby_here/consistency").statusCode()).isEqualTo(404);
  }

  @Test
  void theChartScalesToTheLargestRateAndMarksUnexplainedDays() {
    var chart = ConsistencyPage.chart(List.of(
        Map.of("ds", "2026-03-01", "mismatchRate", 0.0, "rowsCompared", 10, "unexplained", 0),
        Map.of("ds", "2026-03-02", "mismatchRate", 0.5, "rowsCompared", 10, "unexplained", 2),
        Map.of("ds", "2026-03-03", "mismatchRate", 0.25, "rowsCompared", 10, "unexplained", 0)));
    assertThat(chart.top()).isEqualTo("50.00%");
    assertThat(chart.bars()).hasSize(3);
    assertThat(chart.bars().get(0).height()).isZero();
    assertThat(chart.bars().get(1).height()).isEqualTo(chart.plotBottom() - chart.plotTop());
    assertThat(chart.bars().get(2).height()).isCloseTo(chart.bars().get(1).height() / 2, org.assertj.core.data.Offset.offset(0.2));
    assertThat(chart.bars().get(1).unexplained()).isTrue();
    assertThat(chart.bars().get(2).unexplained()).isFalse();
    assertThat(ConsistencyPage.percent(0.0)).isEqualTo("0%");
    assertThat(ConsistencyPage.percent(0.00001)).isEqualTo("0.0010%");
  }
}
