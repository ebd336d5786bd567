package dev.tessera.registry.ui;

import static dev.tessera.registry.Definitions.joinYaml;
import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.RegistryHttpTestBase;
import dev.tessera.registry.publish.OutboxRepository;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.util.HtmlUtils;

/** The admin UI over HTTP with a real form login and CSRF tokens. */
class AdminUiTest extends RegistryHttpTestBase {

  private UiSession loggedIn(String user, String password) throws Exception {
    UiSession s = new UiSession(port);
    assertThat(s.login(user, password)).endsWith("/ui/groupbys");
    return s;
  }

  private static Map<String, String> editorForm(String name, String document) {
    return Map.of("name", name, "document", document, "format", "YAML", "editing", "", "etag", "");
  }

  @Autowired
  OutboxRepository outbox;

  /** A record Kafka refused shows in the top bar of every page; only an admin may drop it, from the outbox page. */
  @Test
  void aFailedOutboxRecordIsShownOnEveryPageAndAnAdminDropsIt() throws Exception {
    String key = uniqueName("refused");
    long id = outbox.append("tessera.registry", key, "{}", java.time.Instant.now());
    outbox.markFailed(id, "RecordTooLargeException: The message is 2400000 bytes", java.time.Instant.now());

    UiSession writer = loggedIn(WRITER, WRITER_PASSWORD);
    assertThat(writer.get("/ui/groupbys").body()).contains("id=\"nav-outbox\"").contains("failed");
    String page = HtmlUtils.htmlUnescape(writer.get("/ui/outbox").body());
    assertThat(page).contains(key).contains("RecordTooLargeException").doesNotContain(">Drop<");
    assertThat(writer.post("/ui/outbox/" + id + "/drop", Map.of()).statusCode()).isEqualTo(403);

    UiSession admin = loggedIn("root", "root-secret-1");
    assertThat(admin.get("/ui/outbox").body()).contains(">Drop<");
    HttpResponse<String> dropped = admin.post("/ui/outbox/" + id + "/drop", Map.of());
    assertThat(dropped.statusCode()).isEqualTo(302);
    assertThat(HtmlUtils.htmlUnescape(admin.get("/ui/outbox").body())).contains("is dropped").doesNotContain(key);
  }

  @Test
  void theUiNeedsALoginAndRefusesAWrongPassword() throws Exception {
    UiSession s = new UiSession(port);
    HttpResponse<String> r = s.get("/ui/groupbys");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).get().asString().endsWith("/login");
    assertThat(s.get("/login").body()).contains("Log in").contains("name=\"_csrf\"");
    assertThat(s.login(WRITER, "wrong-password")).endsWith("/login?error");
    assertThat(s.get("/").headers().firstValue("Location")).get().asString().endsWith("/login");
  }

  @Test
  void anErrorIsShownInlineAtItsLineThenTheFixedDefinitionIsPublishedAndListed() throws Exception {
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_flow");
    String starter = s.get("/ui/groupbys/new").body();
    assertThat(starter).contains("id=\"document\"").contains("New GroupBy");

    String broken = yaml(name, "risk", "1h, 90x").replace("name: " + name + "\n", "");
    HttpResponse<String> checked = s.post("/ui/groupbys/validate", editorForm(name, broken));
    assertThat(checked.statusCode()).isEqualTo(200);
    String page = HtmlUtils.htmlUnescape(checked.body());
    assertThat(page).contains("1 problem").contains("$.aggregations[0].windows[1]").contains("bad window '90x'");
    // the name was written into the document, so the window is on line 15 of what the user sees
    assertThat(lineBlock(page, 15)).contains("has-problem").contains("problem-inline").contains("bad window '90x'");
    assertThat(lineBlock(page, 14)).doesNotContain("has-problem");
    assertThat(page).contains("data-line=\"15\"").contains("data-problem-lines=\"15\"");
    assertThat(page).contains(">name: " + name + "\n");

    HttpResponse<String> published = s.post("/ui/groupbys/publish", editorForm(name, yaml(name)));
    assertThat(published.statusCode()).isEqualTo(302);
    assertThat(published.headers().firstValue("Location")).get().asString().endsWith("/ui/groupbys/" + name);
    String detail = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + name).body());
    assertThat(detail).contains("Created " + name + ", version 1.").contains("Not on the registry topic yet")
        .contains("amount_avg_24h").contains("merchant_last_k").contains("LIST<STRING>")
        .contains("id=\"tile-size\">5m<").contains("currency == \"USD\"");
    String list = HtmlUtils.htmlUnescape(s.get("/ui/groupbys").body());
    assertThat(list).contains("data-name=\"" + name + "\"").contains(">v1<");
  }

  @Test
  void aNameFieldThatDisagreesWithTheDocumentIsAnErrorNextToTheField() throws Exception {
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    s.get("/ui/groupbys/new");
    String page = HtmlUtils.htmlUnescape(s.post("/ui/groupbys/publish", editorForm("other_name", yaml(uniqueName("ui_named")))).body());
    assertThat(page).contains("id=\"name-error\"").contains("The name field says 'other_name' but the document says");

    String invalid = HtmlUtils.htmlUnescape(s.post("/ui/groupbys/validate", editorForm("", yaml("Bad-Name"))).body());
    assertThat(invalid).containsPattern("id=\"name-error\">'Bad-Name' is not a valid name");
  }

  @Test
  void aFormWithoutTheCsrfTokenIsRefused() throws Exception {
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_csrf");
    assertThat(s.post("/ui/groupbys/publish", editorForm(name, yaml(name)), false).statusCode()).isEqualTo(403);
    assertThat(s.get("/ui/groupbys/" + name).statusCode()).isEqualTo(404);
  }

  @Test
  void aReaderCanLookButNotPublish() throws Exception {
    UiSession writer = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_reader");
    writer.get("/ui/groupbys/new");
    writer.postAndFollow("/ui/groupbys/publish", editorForm(name, yaml(name)));

    UiSession reader = loggedIn(READER, READER_PASSWORD);
    String detail = reader.get("/ui/groupbys/" + name).body();
    assertThat(detail).contains(name).doesNotContain("id=\"retire\"").doesNotContain("id=\"edit\"");
    assertThat(reader.get("/ui/groupbys/new").body()).doesNotContain("id=\"publish\"");
    assertThat(reader.post("/ui/groupbys/publish", editorForm(name, yaml(name, "x", "1h"))).statusCode()).isEqualTo(403);
    assertThat(reader.post("/ui/groupbys/" + name + "/retire", Map.of()).statusCode()).isEqualTo(403);
  }

  @Test
  void editingShowsTheStoredDocumentAndAStaleEditIsAConflict() throws Exception {
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_edit");
    s.get("/ui/groupbys/new");
    s.postAndFollow("/ui/groupbys/publish", editorForm(name, yaml(name, "risk", "1h")));
    String edit = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + name + "/edit").body());
    assertThat(edit).contains(yaml(name, "risk", "1h")).contains("name=\"etag\" value=\"1.1\"").contains("readonly");

    // someone else publishes version 2 meanwhile
    http.post().uri("/api/v1/groupbys").contentType(org.springframework.http.MediaType.parseMediaType("application/yaml"))
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(name, "risk", "2h")).exchange().expectStatus().isCreated();
    String conflict = HtmlUtils.htmlUnescape(s.post("/ui/groupbys/publish",
        Map.of("name", name, "document", yaml(name, "risk", "3h"), "format", "YAML", "editing", name, "etag", "1.1")).body());
    assertThat(conflict).contains("id=\"conflict\"").contains("its latest version is 2, not 1");

    HttpResponse<String> ok = s.post("/ui/groupbys/publish",
        Map.of("name", name, "document", yaml(name, "risk", "3h"), "format", "YAML", "editing", name, "etag", "2.2"));
    assertThat(ok.statusCode()).isEqualTo(302);
    String detail = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + name).body());
    assertThat(detail).contains("Published " + name + " version 3 (was 2).")
        .contains("What changed from").contains("amount_avg_3h").contains("id=\"diff\"");
    String older = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + name + "?version=1").body());
    assertThat(older).contains("You are looking at version").contains("amount_avg_1h");
  }

  @Test
  void retireFromTheDetailPage() throws Exception {
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_retire");
    s.get("/ui/groupbys/new");
    s.postAndFollow("/ui/groupbys/publish", editorForm(name, yaml(name)));
    HttpResponse<String> r = s.post("/ui/groupbys/" + name + "/retire", Map.of("etag", "1.1"));
    assertThat(r.statusCode()).isEqualTo(302);
    String detail = s.get("/ui/groupbys/" + name).body();
    assertThat(detail).contains("is retired: a tombstone tells every service to drop it").contains("id=\"status\"")
        .contains(">retired<").contains("Publish again");
  }

  @Test
  void tryAFetchGoesThroughTheRegistryToTheFetcher() throws Exception {
    UiSession s = loggedIn(READER, READER_PASSWORD);
    UiSession writer = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_fetch");
    writer.get("/ui/groupbys/new");
    writer.postAndFollow("/ui/groupbys/publish", editorForm(name, yaml(name)));

    s.get("/ui/groupbys/" + name);
    String page = HtmlUtils.htmlUnescape(s.post("/ui/groupbys/" + name + "/fetch", Map.of("key.user_id", "u-42", "atMillis", "1767225600000")).body());
    assertThat(page).contains("HTTP 200").contains("\"amount_avg_1h\" : 45.5");
    assertThat(FETCHER_REQUESTS).contains("/v1/features/groupby/" + name + "?atMillis=1767225600000 [{\"user_id\":\"u-42\"}]");

    String bad = HtmlUtils.htmlUnescape(s.post("/ui/groupbys/" + name + "/fetch", Map.of("key.user_id", "u", "atMillis", "yesterday")).body());
    assertThat(bad).contains("id=\"fetch-error\"").contains("'As of' must be epoch milliseconds");
  }

  @Test
  void anUnknownGroupByIsANotFoundPage() throws Exception {
    UiSession s = loggedIn(READER, READER_PASSWORD);
    HttpResponse<String> r = s.get("/ui/groupbys/" + uniqueName("ui_none"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("No GroupBy named").contains("Back to the GroupBys");
  }

  @Test
  void aMalformedFormIsABadRequestPage() throws Exception {
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    s.get("/ui/groupbys/new");
    HttpResponse<String> r = s.post("/ui/groupbys/validate", Map.of("name", "x", "document", "name: x", "format", "XML"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Bad request");
  }

  @Test
  void staticAssetsAreServedWithoutALogin() throws Exception {
    UiSession s = new UiSession(port);
    assertThat(s.get("/css/tessera.css").statusCode()).isEqualTo(200);
    assertThat(s.get("/js/editor.js").statusCode()).isEqualTo(200);
  }

  // ---- Joins -------------------------------------------------------------------------------

  /** A GroupBy and a Join over it, published through the API. */
  private String[] groupByAndJoin(String prefix) {
    String g = uniqueName(prefix + "_gb");
    String j = uniqueName(prefix + "_join");
    MediaType yaml = MediaType.parseMediaType("application/yaml");
    http.post().uri("/api/v1/groupbys").contentType(yaml).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(g)).exchange()
        .expectStatus().isCreated();
    http.post().uri("/api/v1/joins").contentType(yaml).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(joinYaml(j, g))
        .exchange().expectStatus().isCreated();
    return new String[] {g, j};
  }

  @Test
  void joinsHaveATabAndAPageWithPartsResolvedVersionsTypedColumnsAndDerivations() throws Exception {
    String[] names = groupByAndJoin("ui_jpage");
    String g = names[0];
    String j = names[1];
    UiSession s = loggedIn(READER, READER_PASSWORD);
    String list = HtmlUtils.htmlUnescape(s.get("/ui/joins").body());
    assertThat(list).contains("id=\"tab-joins\"").contains("data-name=\"" + j + "\"").contains("href=\"/ui/joins/" + j + "\"")
        .doesNotContain("data-name=\"" + g + "\"");
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/groupbys").body())).contains("href=\"/ui/joins\"").doesNotContain("data-name=\"" + j + "\"");

    String page = HtmlUtils.htmlUnescape(s.get("/ui/joins/" + j).body());
    assertThat(partRow(page, g)).contains("href=\"/ui/groupbys/" + g + "\"").contains(">live<").contains("class=\"mono resolved\">v1<")
        .contains("buyer → user_id").contains(">buyer<");
    assertThat(columnRow(page, "amount_now")).contains(">DOUBLE<").contains(">request<");
    assertThat(columnRow(page, "buyer_amount_avg_1h")).contains(">DOUBLE<").contains(">feature<").contains("buyer: amount_avg_1h");
    assertThat(columnRow(page, "buyer_merchant_last_k")).contains(">LIST<STRING><");
    assertThat(columnRow(page, "amount_vs_avg")).contains(">derived<").contains("amount_now / buyer_amount_avg_24h");
    assertThat(page).contains("id=\"derivations\"").contains("id=\"key-columns\"").contains("name=\"field.buyer\"")
        .contains("name=\"field.amount_now\"").contains("name=\"field.channel\"").contains("id=\"history\"").contains(">created<")
        .doesNotContain("id=\"retire\"").doesNotContain("not-valid-now");

    // the GroupBy moves on: the unpinned part follows it, and the page says what it had at publication
    http.post().uri("/api/v1/groupbys").contentType(MediaType.parseMediaType("application/yaml"))
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(g, "risk", "1h, 24h, 7d")).exchange().expectStatus().isCreated();
    String later = HtmlUtils.htmlUnescape(s.get("/ui/joins/" + j).body());
    assertThat(partRow(later, g)).contains("class=\"mono resolved\">v2<").contains("mono muted\">v1<");
    assertThat(later).contains("data-column=\"buyer_amount_avg_7d\"");
  }

  @Test
  void theJoinPageSaysWhereTheLeftRowsComeFrom() throws Exception {
    String g = groupByAndJoin("ui_jleft")[0];
    String landed = uniqueName("ui_jleft_landed");
    http.post().uri("/api/v1/joins").contentType(MediaType.parseMediaType("application/yaml")).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .body(joinYaml(landed, g).replace("  table: checkouts\n", "  table: checkouts\n  topic: shop.checkouts\n"))
        .exchange().expectStatus().isCreated();
    String lake = uniqueName("ui_jleft_lake");
    http.post().uri("/api/v1/joins").contentType(MediaType.parseMediaType("application/yaml")).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .body(joinYaml(lake, g).replace("  table: checkouts\n", "  parquet: checkouts/*.parquet\n"))
        .exchange().expectStatus().isCreated();
    UiSession s = loggedIn(READER, READER_PASSWORD);
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/joins/" + landed).body())).containsPattern(
        "table <strong class=\"mono\">checkouts</strong>\\s*\\(landed from topic <strong class=\"mono\">shop.checkouts</strong>\\)");
    String lakePage = HtmlUtils.htmlUnescape(s.get("/ui/joins/" + lake).body());
    assertThat(lakePage).contains("Parquet dataset <strong class=\"mono\">checkouts/*.parquet</strong>").doesNotContain("landed from topic");
  }

  @Test
  void theEditorChecksAJoinAgainstTheGroupBysThenPublishesIt() throws Exception {
    String g = groupByAndJoin("ui_jedit")[0];
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_jnew");
    assertThat(s.get("/ui/joins/new").body()).contains("New Join").contains("action=\"/ui/joins/publish\"").contains("parts:");

    String broken = joinYaml(name, uniqueName("no_such_gb"));
    String checked = HtmlUtils.htmlUnescape(s.post("/ui/joins/validate", editorForm(name, broken)).body());
    assertThat(checked).contains("1 problem").contains("$.parts[0].groupBy").contains("unknown GroupBy");
    assertThat(lineBlock(checked, 10)).contains("has-problem");

    String valid = HtmlUtils.htmlUnescape(s.post("/ui/joins/validate", editorForm(name, joinYaml(name, g))).body());
    assertThat(valid).contains("id=\"valid\"").contains("Publishing creates").contains("id=\"plan-parts\"").contains("v1 (live)")
        .contains("id=\"plan-columns\"").contains("amount_vs_avg");

    HttpResponse<String> published = s.post("/ui/joins/publish", editorForm(name, joinYaml(name, g)));
    assertThat(published.statusCode()).isEqualTo(302);
    assertThat(published.headers().firstValue("Location")).get().asString().endsWith("/ui/joins/" + name);
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/joins/" + name).body())).contains("Created " + name + ", version 1.");

    String edit = HtmlUtils.htmlUnescape(s.get("/ui/joins/" + name + "/edit").body());
    assertThat(edit).contains(joinYaml(name, g)).contains("name=\"etag\" value=\"1.1\"").contains("action=\"/ui/joins/publish\"");
    HttpResponse<String> v2 = s.post("/ui/joins/publish",
        Map.of("name", name, "document", joinYaml(name, g, "risk", "amount_now * 2.0"), "format", "YAML", "editing", name, "etag", "1.1"));
    assertThat(v2.statusCode()).isEqualTo(302);
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/joins/" + name).body())).contains("Published " + name + " version 2 (was 1).")
        .contains("id=\"diff\"").contains("amount_now * 2.0");
  }

  @Test
  void aJoinWrittenOnTheNewGroupByPageIsRecognisedAndPublishedAsAJoin() throws Exception {
    String g = groupByAndJoin("ui_jdetect")[0];
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String name = uniqueName("ui_jdetected");
    s.get("/ui/groupbys/new");
    String checked = HtmlUtils.htmlUnescape(s.post("/ui/groupbys/validate", editorForm(name, joinYaml(name, g))).body());
    assertThat(checked).contains("id=\"detected\"").contains("This document is a <strong>Join</strong>").contains("id=\"valid\"")
        .contains("action=\"/ui/joins/publish\"");
    HttpResponse<String> published = s.post("/ui/groupbys/publish", editorForm(name, joinYaml(name, g)));
    assertThat(published.headers().firstValue("Location")).get().asString().endsWith("/ui/joins/" + name);
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectStatus().isOk();
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isNotFound();
  }

  @Test
  void tryAFetchOfAJoinSendsTheKeyColumnsAndTypedRequestFieldsToTheFetcher() throws Exception {
    String j = groupByAndJoin("ui_jfetch")[1];
    UiSession s = loggedIn(READER, READER_PASSWORD);
    s.get("/ui/joins/" + j);
    String page = HtmlUtils.htmlUnescape(s.post("/ui/joins/" + j + "/fetch",
        Map.of("field.buyer", " u-42 ", "field.amount_now", "12.5", "field.channel", "", "atMillis", "1767225600000")).body());
    assertThat(page).contains("HTTP 200").contains("\"amount_vs_avg\" : 0.27").contains("value=\" u-42 \"");
    assertThat(FETCHER_REQUESTS)
        .contains("/v1/features/join/" + j + "?atMillis=1767225600000 [{\"buyer\":\"u-42\",\"amount_now\":12.5,\"channel\":null}]");

    String bad = HtmlUtils.htmlUnescape(s.post("/ui/joins/" + j + "/fetch", Map.of("field.buyer", "u", "field.amount_now", "lots")).body());
    assertThat(bad).contains("id=\"fetch-error\"").contains("The request field amount_now is DOUBLE: 'lots' is not a number.");
    String noKey = HtmlUtils.htmlUnescape(s.post("/ui/joins/" + j + "/fetch", Map.of("field.amount_now", "1")).body());
    assertThat(noKey).contains("Enter a value for the key column buyer.");
  }

  @Test
  void aGroupByPageNamesTheJoinsThatUseItAndRetiringItIsRefusedUntilTheyAreRetired() throws Exception {
    String[] names = groupByAndJoin("ui_jguard");
    String g = names[0];
    String j = names[1];
    UiSession s = loggedIn(WRITER, WRITER_PASSWORD);
    String detail = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + g).body());
    assertThat(detail).contains("id=\"used-by\"").contains("href=\"/ui/joins/" + j + "\"");

    HttpResponse<String> refused = s.post("/ui/groupbys/" + g + "/retire", Map.of("etag", "1.1"));
    assertThat(refused.statusCode()).isEqualTo(302);
    String after = HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + g).body());
    assertThat(after).contains("cannot be retired: the active Join " + j + " uses it").contains(">active<");

    s.get("/ui/joins/" + j);
    assertThat(s.post("/ui/joins/" + j + "/retire", Map.of("etag", "1.1")).statusCode()).isEqualTo(302);
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/joins/" + j).body())).contains(j + " is retired").contains(">retired<")
        .contains("Publish again");
    s.get("/ui/groupbys/" + g);
    s.post("/ui/groupbys/" + g + "/retire", Map.of("etag", "1.1"));
    assertThat(HtmlUtils.htmlUnescape(s.get("/ui/groupbys/" + g).body())).contains(g + " is retired").doesNotContain("id=\"used-by\"");
  }

  @Test
  void aReaderCanLookAtJoinsButNotPublishOrRetireThem() throws Exception {
    String j = groupByAndJoin("ui_jreader")[1];
    UiSession reader = loggedIn(READER, READER_PASSWORD);
    assertThat(reader.get("/ui/joins/" + j).body()).doesNotContain("id=\"retire\"").doesNotContain("id=\"edit\"");
    assertThat(reader.post("/ui/joins/publish", editorForm(j, "name: " + j)).statusCode()).isEqualTo(403);
    assertThat(reader.post("/ui/joins/" + j + "/retire", Map.of()).statusCode()).isEqualTo(403);
    assertThat(reader.get("/ui/joins/" + uniqueName("ui_jnone")).statusCode()).isEqualTo(404);
  }

  /** The rendered row of the parts table for one GroupBy. */
  private static String partRow(String page, String groupBy) {
    return row(page, "data-groupby=\"" + groupBy + "\"");
  }

  /** The rendered row of the output columns table for one column. */
  private static String columnRow(String page, String column) {
    return row(page, "data-column=\"" + column + "\"");
  }

  private static String row(String page, String marker) {
    int at = page.indexOf(marker);
    assertThat(at).as("%s is rendered", marker).isGreaterThanOrEqualTo(0);
    return page.substring(at, page.indexOf("</tr>", at));
  }

  /** The rendered block of one line of the annotated document. */
  private static String lineBlock(String page, int line) {
    Matcher m = Pattern.compile("id=\"L" + line + "\"(.*?)(?=id=\"L" + (line + 1) + "\"|</section>)", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("line %d is rendered", line).isTrue();
    return page.substring(m.start() - 60, m.end());
  }
}
