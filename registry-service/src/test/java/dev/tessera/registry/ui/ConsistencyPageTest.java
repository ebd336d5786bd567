package dev.tessera.registry.ui;

import static dev.tessera.registry.Definitions.joinYaml;
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
 * "Consistency"), and {@code GET /api/v1/consistency/join/{join}} likewise; a name that starts with
 * "down" gets a 503, a Join whose name starts with "none" has no run and no report days yet.
 */
class ConsistencyPageTest extends RegistryHttpTestBase {
  static final String REPORT = """
      {"groupBy": "%s", "reportTable": "%1$s_consistency_daily", "samplesTable": "%1$s_consistency_samples",
       "latest": {"jobId": 17, "version": 1, "startDate": "2026-03-02", "endDate": "2026-03-03", "endedAt": "2026-03-04T01:00:00",
         "result": {"reportTable": "%1$s_consistency_daily", "samplesTable": "%1$s_consistency_samples", "unexplained": 0,
           "features": [
             {"feature": "amount_avg_1h", "rowsCompared": 200, "mismatches": 6, "mismatchRate": 0.03, "smape": 0.5, "maxAbsDiff": 77.5,
              "causes": {"LATE_EVENT": 3, "ARRIVED_AFTER_FETCH": 2, "STALE_BATCH": 1, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0},
              "freshnessDelays": {"< 1s": 2, "1-10s": 0}},
             {"feature": "merchant_last_k", "rowsCompared": 200, "mismatches": 0, "mismatchRate": 0.0, "smape": null, "maxAbsDiff": null,
              "causes": {"LATE_EVENT": 0, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}}],
           "fetchesChecked": 200, "badRows": {"total": 2, "reasons": {"unknown version": 2}, "samples": []}}},
       "days": [
         {"ds": "2026-03-02", "rowsCompared": 200, "mismatches": 0, "unexplained": 0, "mismatchRate": 0.0, "features": []},
         {"ds": "2026-03-03", "rowsCompared": 200, "mismatches": 4, "unexplained": 0, "mismatchRate": 0.02, "features": []}],
       "samples": [{"feature": "amount_avg_1h", "ds": "2026-03-03", "keys": {"user_id": "u3"}, "asOf": 1772535600000, "loggedVersion": 1,
         "onlineValue": 12.5, "offlineValue": 45.0, "absDiff": 32.5, "cause": "LATE_EVENT", "jobId": 17}]}""";
  /** A Join's report: one part ("buyer") and a derived column, with an unexplained mismatch on the derived one. */
  static final String JOIN_REPORT = """
      {"join": "%s", "reportTable": "%1$s_join_consistency_daily", "samplesTable": "%1$s_join_consistency_samples",
       "latest": {"jobId": 23, "version": 2, "startDate": "2026-03-02", "endDate": "2026-03-03", "endedAt": "2026-03-04T01:00:00",
         "result": {"join": "%1$s", "joinVersion": 2, "unexplained": 1, "features": [], "parts": [], "logRows": 120, "rowsChecked": 100,
           "badRows": {"total": 0, "reasons": {}, "samples": []}}},
       "days": [
         {"ds": "2026-03-03", "rowsCompared": 300, "mismatches": 6, "unexplained": 1, "mismatchRate": 0.02, "features": [
           {"feature": "buyer_amount_avg_24h", "part": "buyer", "rowsCompared": 100, "mismatches": 5, "mismatchRate": 0.05,
            "causes": {"LATE_EVENT": 3, "STALE_BATCH": 2, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
           {"feature": "amount_vs_avg", "part": null, "rowsCompared": 100, "mismatches": 1, "mismatchRate": 0.01,
            "causes": {"LATE_EVENT": 0, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 1}}]}],
       "columns": [
         {"feature": "buyer_amount_avg_24h", "part": "buyer", "rowsCompared": 100, "mismatches": 5, "mismatchRate": 0.05,
          "causes": {"LATE_EVENT": 3, "STALE_BATCH": 2, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
         {"feature": "buyer_amount_sum_1h", "part": "buyer", "rowsCompared": 100, "mismatches": 0, "mismatchRate": 0.0,
          "causes": {"LATE_EVENT": 0, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
         {"feature": "amount_vs_avg", "part": null, "rowsCompared": 100, "mismatches": 1, "mismatchRate": 0.01,
          "causes": {"LATE_EVENT": 0, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 1}}],
       "parts": [
         {"part": "buyer", "rowsCompared": 200, "mismatches": 5, "mismatchRate": 0.025,
          "causes": {"LATE_EVENT": 3, "STALE_BATCH": 2, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
         {"part": null, "rowsCompared": 100, "mismatches": 1, "mismatchRate": 0.01,
          "causes": {"LATE_EVENT": 0, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 1}}],
       "samples": [
         {"feature": "amount_vs_avg", "part": null, "ds": "2026-03-03", "keys": {"buyer": "b7"}, "asOf": 1772535600000, "loggedVersion": 2,
          "onlineValue": 0.75, "offlineValue": 0.5, "absDiff": 0.25, "cause": "UNEXPLAINED", "jobId": 23},
         {"feature": "buyer_amount_avg_24h", "part": "buyer", "ds": "2026-03-03", "keys": {"buyer": "b3"}, "asOf": 1772535600001,
          "loggedVersion": 2, "onlineValue": 12.5, "offlineValue": 45.0, "absDiff": 32.5, "cause": "LATE_EVENT", "jobId": 23}]}""";
  /** What the batch service answers for a Join that exists but has not been checked yet. */
  static final String NO_JOIN_REPORT = """
      {"join": "%s", "reportTable": "%1$s_join_consistency_daily", "samplesTable": "%1$s_join_consistency_samples",
       "latest": null, "days": [], "columns": [], "parts": [], "samples": []}""";
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
        boolean join = name.startsWith("join/");
        if (join) name = name.substring("join/".length());
        boolean down = name.startsWith("down");
        String report = !join ? REPORT : name.startsWith("none") ? NO_JOIN_REPORT : JOIN_REPORT;
        byte[] out = (down ? "{\"title\": \"Unavailable\", \"status\": 503, \"detail\": \"the warehouse does not answer\"}"
            : report.formatted(name)).getBytes(StandardCharsets.UTF_8);
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
        .contains("data-feature=\"amount_avg_1h\"").contains("data-feature=\"merchant_last_k\"").contains("3.00%")
        .contains("2 log rows could not be checked");
    assertThat(page).contains("id=\"rate-chart\"").contains("data-ds=\"2026-03-02\"").contains("data-ds=\"2026-03-03\"")
        .contains("2026-03-03: 2.00% of 200 values mismatched (0 unexplained)");
    assertThat(page).contains("data-cause=\"LATE_EVENT\"").contains("{\"user_id\":\"u3\"}").contains("45.0");
    // every cause the batch service reports has a column, and the delays of events that arrived after the fetch are shown
    assertThat(page).contains(">arrived after fetch</th>").contains(">at millis in tile</th>").contains(">stream behind</th>")
        .contains("<td class=\"num\" data-cause=\"ARRIVED_AFTER_FETCH\">2</td>").contains(">< 1s: 2</td>");
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

  /** A GroupBy and a Join over it; returns the Join's name. */
  private String publishJoin(String prefix) {
    String g = uniqueName(prefix + "_gb");
    publish(g);
    String j = uniqueName(prefix);
    http.post().uri("/api/v1/joins").contentType(MediaType.parseMediaType("application/yaml"))
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(joinYaml(j, g)).exchange().expectStatus().isCreated();
    return j;
  }

  /** The Join's consistency page as a reader sees it. */
  private String joinConsistencyPage(String join) throws Exception {
    UiSession s = new UiSession(port);
    s.login(READER, READER_PASSWORD);
    return HtmlUtils.htmlUnescape(s.get("/ui/joins/" + join + "/consistency").body());
  }

  @Test
  void aJoinsReportShowsItsPartsColumnsCausesAndSamplesAndTheJoinPageLinksToIt() throws Exception {
    String name = publishJoin("cons_join");
    UiSession s = new UiSession(port);
    s.login(READER, READER_PASSWORD);
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/joins/" + name).body()))
        .contains("id=\"consistency-link\" href=\"/ui/joins/" + name + "/consistency\"");

    var response = s.get("/ui/joins/" + name + "/consistency");
    assertThat(response.statusCode()).isEqualTo(200);
    String page = HtmlUtils.htmlUnescape(response.body());
    assertThat(page).contains("href=\"/ui/joins\">Joins</a>").contains("href=\"/ui/joins/" + name + "\"")
        .contains("job <span class=\"mono\">23</span>").contains("<span id=\"rows-checked\">100</span> logged rows checked")
        .doesNotContain("id=\"no-run\"").doesNotContain("id=\"consistency-error\"").doesNotContain("id=\"features\"");
    // the summary over the days shown: values compared, mismatches by cause, unexplained marked
    assertThat(page).contains("1 unexplained").contains("<span>300</span> values compared").contains("<span>6</span> mismatches")
        .contains("<span>3</span> late event, <span>2</span> stale batch").containsPattern("id=\"unexplained-total\"[^>]*class=\"badge off\"|class=\"badge off\"[^>]*id=\"unexplained-total\"");
    assertThat(page).contains("data-part=\"buyer\"").contains("data-part=\"derived\"").contains("2.50%")
        .contains("data-column=\"buyer_amount_avg_24h\" data-part=\"buyer\"").contains("data-column=\"buyer_amount_sum_1h\" data-part=\"buyer\"")
        .contains("data-column=\"amount_vs_avg\" data-part=\"derived\"").contains("class=\"num danger\" data-cause=\"UNEXPLAINED\">1</td>");
    assertThat(page).contains("id=\"rate-chart\"").contains("data-ds=\"2026-03-03\"")
        .contains("data-cause=\"UNEXPLAINED\"").contains("data-cause=\"LATE_EVENT\"").contains("{\"buyer\":\"b7\"}").contains("0.75");
    assertThat(s.get("/ui/joins/no_such_join_here/consistency").statusCode()).isEqualTo(404);
  }

  @Test
  void aJoinWithoutARunSaysHowToStartOne() throws Exception {
    String name = publishJoin("none_join");
    String page = joinConsistencyPage(name);
    assertThat(page).contains("id=\"no-run\"").contains("No consistency run yet")
        .contains("bin/tessera consistency --conf=<span>" + name + "</span> --start-date=YYYY-MM-DD --end-date=YYYY-MM-DD")
        .contains("id=\"no-days\"").contains("None kept").doesNotContain("id=\"parts\"").doesNotContain("id=\"consistency-error\"");
  }

  @Test
  void aJoinsPageSaysPlainlyWhenTheBatchServiceFailsOrIsNotThere() throws Exception {
    String name = publishJoin("down_join");
    String page = joinConsistencyPage(name);
    assertThat(page).contains("id=\"consistency-error\"").contains("The batch service answered 503: the warehouse does not answer")
        .doesNotContain("id=\"join-totals\"");

    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    var outcome = new ConsistencyClient(java.net.URI.create("http://127.0.0.1:" + closed), java.time.Duration.ofSeconds(2))
        .joinReport(name, 30);
    assertThat(outcome.report()).isNull();
    assertThat(outcome.url()).endsWith("/api/v1/consistency/join/" + name + "?days=30&samples=50");
    assertThat(outcome.error()).contains("is not reachable").contains("Is batch-service running?");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aJoinsTotalsSumItsParts() {
    var totals = ConsistencyPage.totals(List.of(
        Map.of("rowsCompared", 200, "mismatches", 5, "causes", Map.of("LATE_EVENT", 3, "STALE_BATCH", 2, "UNEXPLAINED", 0)),
        Map.of("rowsCompared", 100, "mismatches", 1, "causes", Map.of("UNEXPLAINED", 1))));
    assertThat(totals).containsEntry("rowsCompared", 300L).containsEntry("mismatches", 6L).containsEntry("mismatchRate", 0.02);
    assertThat((Map<String, Object>) totals.get("causes")).containsEntry("LATE_EVENT", 3L).containsEntry("STALE_BATCH", 2L)
        .containsEntry("VERSION_MISMATCH", 0L).containsEntry("UNEXPLAINED", 1L).containsEntry("ARRIVED_AFTER_FETCH", 0L);
    assertThat(ConsistencyPage.totals(List.of())).containsEntry("mismatchRate", 0.0);
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
