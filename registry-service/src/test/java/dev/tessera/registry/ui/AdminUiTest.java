package dev.tessera.registry.ui;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.RegistryHttpTestBase;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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

  /** The rendered block of one line of the annotated document. */
  private static String lineBlock(String page, int line) {
    Matcher m = Pattern.compile("id=\"L" + line + "\"(.*?)(?=id=\"L" + (line + 1) + "\"|</section>)", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("line %d is rendered", line).isTrue();
    return page.substring(m.start() - 60, m.end());
  }
}
