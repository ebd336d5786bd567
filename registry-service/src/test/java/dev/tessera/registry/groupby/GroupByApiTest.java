package dev.tessera.registry.groupby;

import static dev.tessera.registry.Definitions.json;
import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.RegistryHttpTestBase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;

/** Every registry endpoint over HTTP, good and bad input, authentication and problems. */
class GroupByApiTest extends RegistryHttpTestBase {
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");
  static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
  static final JsonMapper JSON = JsonMapper.builder().build();

  private RestTestClient.ResponseSpec publish(String body, MediaType type) {
    return http.post().uri("/api/v1/groupbys").contentType(type).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .body(body).exchange();
  }

  @Test
  void publishingYamlCreatesVersionOneAndGetReturnsThePublishedRecordWithDerivedInfo() {
    String name = uniqueName("api_yaml");
    publish(yaml(name), YAML)
        .expectStatus().isCreated()
        .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/v1/groupbys/" + name + "/versions/1")
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.1\"")
        .expectBody()
        .jsonPath("$.name").isEqualTo(name)
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.change").isEqualTo("CREATED")
        .jsonPath("$.previousVersion").doesNotExist()
        // Kafka is down in this test: committed, visibly not yet published
        .jsonPath("$.publication.status").isEqualTo("PENDING")
        .jsonPath("$.publication.message").value(String.class, m -> assertThat(m).contains("outbox"))
        .jsonPath("$.groupBy.features[0].name").isEqualTo("amount_avg_1h");

    http.get().uri("/api/v1/groupbys/{n}", name).exchange()
        .expectStatus().isOk()
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.1\"")
        .expectBody()
        .jsonPath("$.name").isEqualTo(name)
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.publishedBy").isEqualTo(WRITER)
        .jsonPath("$.publishedAt").value(String.class, t -> assertThat(t).endsWith("Z"))
        .jsonPath("$.definition.name").isEqualTo(name)
        .jsonPath("$.definition.aggregations[0].windows[1]").isEqualTo("24h")
        .jsonPath("$.status").isEqualTo("ACTIVE")
        .jsonPath("$.latestVersion").isEqualTo(1)
        .jsonPath("$.features.length()").isEqualTo(3)
        .jsonPath("$.features[2].name").isEqualTo("merchant_last_k")
        .jsonPath("$.features[2].type").isEqualTo("LIST<STRING>")
        .jsonPath("$.features[2].window").doesNotExist()
        .jsonPath("$.features[1].window").isEqualTo("24h")
        .jsonPath("$.tileSize").isEqualTo("5m")
        .jsonPath("$.tileSizeMillis").isEqualTo(300000)
        .jsonPath("$.hops['1h']").isEqualTo("5m")
        .jsonPath("$.hops['24h']").isEqualTo("1h");
  }

  @Test
  void jsonBodiesWorkTooAndNonAsciiSurvives() {
    String name = uniqueName("api_json");
    String body = json(name, "risk", "1h").replace("purchase statistics per user", "Käufe — ø");
    publish(body, MediaType.APPLICATION_JSON).expectStatus().isCreated();
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectBody().jsonPath("$.definition.description").isEqualTo("Käufe — ø");
  }

  @Test
  void yamlWithoutACharsetIsReadAsUtf8() {
    String name = uniqueName("api_utf8");
    publish(yaml(name).replace("purchase statistics per user", "Käufe je Nutzer ✓"), YAML).expectStatus().isCreated();
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectBody().jsonPath("$.definition.description").isEqualTo("Käufe je Nutzer ✓");
  }

  @Test
  void versionsMetadataUpdatesHistoryAndDiff() {
    String name = uniqueName("api_versions");
    publish(yaml(name, "risk", "1h"), YAML).expectStatus().isCreated();
    publish(yaml(name, "fraud", "1h"), YAML).expectStatus().isOk()
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.2\"")
        .expectBody().jsonPath("$.change").isEqualTo("METADATA_UPDATED").jsonPath("$.version").isEqualTo(1);
    publish(yaml(name, "fraud", "1h"), YAML).expectStatus().isOk()
        .expectBody().jsonPath("$.change").isEqualTo("UNCHANGED").jsonPath("$.publication.status").isEqualTo("NOTHING_TO_PUBLISH");
    publish(yaml(name, "fraud", "1h, 7d"), YAML).expectStatus().isCreated()
        .expectBody().jsonPath("$.change").isEqualTo("NEW_VERSION").jsonPath("$.version").isEqualTo(2).jsonPath("$.previousVersion").isEqualTo(1);

    http.get().uri("/api/v1/groupbys/{n}/versions", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.latestVersion").isEqualTo(2)
        .jsonPath("$.versions[0].version").isEqualTo(2)
        .jsonPath("$.versions[0].latest").isEqualTo(true)
        .jsonPath("$.versions[1].version").isEqualTo(1)
        .jsonPath("$.versions[1].latest").isEqualTo(false);
    http.get().uri("/api/v1/groupbys/{n}/versions/1", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.latestVersion").isEqualTo(2)
        .jsonPath("$.definition.team").isEqualTo("fraud")
        .jsonPath("$.definition.aggregations[0].windows.length()").isEqualTo(1);
    http.get().uri("/api/v1/groupbys/{n}/diff?from=1&to=2", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.from").isEqualTo(1)
        .jsonPath("$.to").isEqualTo(2)
        .jsonPath("$.sameComputation").isEqualTo(false)
        .jsonPath("$.aggregations[0].kind").isEqualTo("CHANGED")
        .jsonPath("$.aggregations[0].changes[0].field").isEqualTo("windows")
        .jsonPath("$.aggregations[0].changes[0].to").isEqualTo("7d")
        .jsonPath("$.features.added[0]").isEqualTo("amount_avg_7d")
        .jsonPath("$.document[?(@.kind == 'ADDED')].text").value(java.util.List.class,
            texts -> assertThat(texts).anySatisfy(t -> assertThat((String) t).contains("7d")));
    http.get().uri("/api/v1/groupbys/{n}/history", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.events.length()").isEqualTo(3)
        .jsonPath("$.events[0].change").isEqualTo("NEW_VERSION")
        .jsonPath("$.events[1].change").isEqualTo("METADATA_UPDATED")
        .jsonPath("$.events[2].change").isEqualTo("CREATED")
        .jsonPath("$.events[2].actor").isEqualTo(WRITER);
  }

  @Test
  void theListShowsStatusVersionTeamAndFeatureCountAndFilters() {
    String a = uniqueName("api_list");
    String b = uniqueName("api_list");
    publish(yaml(a, "listteam", "1h"), YAML).expectStatus().isCreated();
    publish(yaml(b, "listteam", "1h"), YAML).expectStatus().isCreated();
    http.delete().uri("/api/v1/groupbys/{n}", b).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange().expectStatus().isOk();
    http.get().uri("/api/v1/groupbys?team=listteam").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.groupBys.length()").isEqualTo(2)
        .jsonPath("$.groupBys[?(@.name == '" + a + "')].status").isEqualTo(java.util.List.of("ACTIVE"))
        .jsonPath("$.groupBys[?(@.name == '" + a + "')].featureCount").isEqualTo(java.util.List.of(2))
        .jsonPath("$.groupBys[?(@.name == '" + a + "')].online").isEqualTo(java.util.List.of(true))
        .jsonPath("$.groupBys[?(@.name == '" + b + "')].status").isEqualTo(java.util.List.of("RETIRED"));
    http.get().uri("/api/v1/groupbys?team=listteam&status=retired").exchange().expectBody()
        .jsonPath("$.groupBys.length()").isEqualTo(1).jsonPath("$.groupBys[0].name").isEqualTo(b);
    http.get().uri("/api/v1/groupbys?status=sleeping").exchange().expectStatus().isBadRequest()
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/bad-request");
  }

  @Test
  void validationIsOpenAndSaysWhatPublishingWouldDo() {
    String name = uniqueName("api_validate");
    http.post().uri("/api/v1/groupbys/validate").contentType(YAML).body(yaml(name)).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.valid").isEqualTo(true)
        .jsonPath("$.change").isEqualTo("CREATED")
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.features[0].name").isEqualTo("amount_avg_1h")
        .jsonPath("$.hops['24h']").isEqualTo("1h");
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isNotFound();
  }

  @Test
  void anInvalidDefinitionIsA400ProblemWithEveryErrorPathAndLine() {
    String text = yaml(uniqueName("api_bad"), "risk", "1h, 90x").replace("keys: [user_id]", "keys: [account_id]");
    for (String path : new String[] {"/api/v1/groupbys", "/api/v1/groupbys/validate"}) {
      http.post().uri(path).contentType(YAML).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(text).exchange()
          .expectStatus().isBadRequest()
          .expectHeader().contentTypeCompatibleWith(PROBLEM)
          .expectBody()
          .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/invalid-groupby")
          .jsonPath("$.title").isEqualTo("Invalid GroupBy definition")
          .jsonPath("$.status").isEqualTo(400)
          .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("has 2 problems"))
          .jsonPath("$.errors.length()").isEqualTo(2)
          .jsonPath("$.errors[0].path").isEqualTo("$.aggregations[0].windows[1]")
          .jsonPath("$.errors[0].line").isEqualTo(15)
          .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).contains("bad window '90x'"))
          .jsonPath("$.errors[1].path").isEqualTo("$.keys[0]")
          .jsonPath("$.errors[1].line").isEqualTo(5)
          .jsonPath("$.errors[1].message").value(String.class, m -> assertThat(m).contains("'account_id' is not a selected column"));
    }
  }

  @Test
  void aCelErrorComesBackWithItsPosition() {
    String text = yaml(uniqueName("api_cel")).replace("currency == \"USD\"", "currency == 1 +");
    http.post().uri("/api/v1/groupbys/validate").contentType(YAML).body(text).exchange()
        .expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].path").isEqualTo("$.sources[0].events.query.wheres[0]")
        .jsonPath("$.errors[0].line").isEqualTo(12)
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).containsPattern("1:\\d+"));
  }

  @Test
  void malformedJsonAndYamlAreProblemsAtTheRoot() {
    publish("{\"name\": \"x\", \"keys\": [", MediaType.APPLICATION_JSON).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/invalid-groupby")
        .jsonPath("$.errors[0].path").isEqualTo("$")
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).startsWith("malformed JSON"));
    publish("name: x\nkeys: [a\nsources: 1\n", YAML).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).startsWith("malformed YAML"));
    publish("", YAML).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].message").isEqualTo("the definition is empty");
  }

  @Test
  void otherContentTypesAre415() {
    http.post().uri("/api/v1/groupbys").contentType(MediaType.APPLICATION_XML).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .body("<groupBy/>").exchange()
        .expectStatus().isEqualTo(415)
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unsupported-media-type");
  }

  @Test
  void unknownNamesAndVersionsAre404Problems() {
    String name = uniqueName("api_unknown");
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isNotFound()
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/groupby-not-found")
        .jsonPath("$.detail").isEqualTo("No GroupBy named '" + name + "' is registered")
        .jsonPath("$.name").isEqualTo(name);
    for (String path : new String[] {"/versions", "/history", "/diff"}) {
      http.get().uri("/api/v1/groupbys/" + name + path).exchange().expectStatus().isNotFound();
    }
    publish(yaml(name), YAML).expectStatus().isCreated();
    http.get().uri("/api/v1/groupbys/{n}/versions/9", name).exchange().expectStatus().isNotFound().expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/version-not-found")
        .jsonPath("$.version").isEqualTo(9);
    http.get().uri("/api/v1/groupbys/{n}/versions/latest", name).exchange().expectStatus().isBadRequest()
        .expectHeader().contentTypeCompatibleWith(PROBLEM);
    http.get().uri("/api/v1/nothing-here").exchange().expectStatus().isNotFound()
        .expectHeader().contentTypeCompatibleWith(PROBLEM);
  }

  @Test
  void anErrorCarriesTheRequestIdInItsHeaderAndProblem() {
    http.get().uri("/api/v1/groupbys/{n}", uniqueName("api_request_id")).header("X-Request-Id", "ticket-4711").exchange()
        .expectStatus().isNotFound()
        .expectHeader().valueEquals("X-Request-Id", "ticket-4711")
        .expectBody().jsonPath("$.requestId").isEqualTo("ticket-4711");
    // a problem written by a filter (Spring Security's entry point), not by the MVC advice
    http.post().uri("/api/v1/groupbys").contentType(YAML).header("X-Request-Id", "ticket-4712").body(yaml(uniqueName("api_request_id")))
        .exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().valueEquals("X-Request-Id", "ticket-4712")
        .expectBody().jsonPath("$.requestId").isEqualTo("ticket-4712");
  }

  @Test
  void staleWritersGetA409AndTheCurrentEtag() {
    String name = uniqueName("api_conflict");
    publish(yaml(name, "risk", "1h"), YAML).expectStatus().isCreated();
    publish(yaml(name, "risk", "2h"), YAML).expectStatus().isCreated();
    http.post().uri("/api/v1/groupbys?expectedVersion=1").contentType(YAML).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .body(yaml(name, "risk", "3h")).exchange()
        .expectStatus().isEqualTo(409)
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"2.2\"")
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/version-conflict")
        .jsonPath("$.currentVersion").isEqualTo(2)
        .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("its latest version is 2, not 1"));
    http.post().uri("/api/v1/groupbys").contentType(YAML).header(HttpHeaders.IF_MATCH, "\"2.1\"")
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(name, "risk", "3h")).exchange()
        .expectStatus().isEqualTo(409);
    http.post().uri("/api/v1/groupbys").contentType(YAML).header(HttpHeaders.IF_MATCH, "\"2.2\"")
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(name, "risk", "3h")).exchange()
        .expectStatus().isCreated().expectBody().jsonPath("$.version").isEqualTo(3);
    http.post().uri("/api/v1/groupbys").contentType(YAML).header(HttpHeaders.IF_NONE_MATCH, "*")
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(name, "risk", "4h")).exchange()
        .expectStatus().isEqualTo(409);
    http.post().uri("/api/v1/groupbys").contentType(YAML).header(HttpHeaders.IF_MATCH, "3")
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml(name, "risk", "4h")).exchange()
        .expectStatus().isBadRequest().expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/bad-request")
        .jsonPath("$.detail").value(String.class, d -> assertThat(d).startsWith("If-Match must be an ETag"));
  }

  @Test
  void retireMarksRetiredAndIsIdempotent() {
    String name = uniqueName("api_retire");
    publish(yaml(name), YAML).expectStatus().isCreated();
    http.delete().uri("/api/v1/groupbys/{n}?expectedVersion=1", name).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("RETIRED")
        .jsonPath("$.change").isEqualTo("RETIRED")
        .jsonPath("$.publication.status").isEqualTo("PENDING");
    http.delete().uri("/api/v1/groupbys/{n}", name).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.change").isEqualTo("UNCHANGED");
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("RETIRED");
    http.delete().uri("/api/v1/groupbys/{n}", uniqueName("api_never")).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isNotFound();
    publish(yaml(name), YAML).expectStatus().isCreated().expectBody().jsonPath("$.version").isEqualTo(2);
  }

  @Test
  void writesNeedAWriterByBasicAuthOrApiToken() {
    String name = uniqueName("api_auth");
    http.post().uri("/api/v1/groupbys").contentType(YAML).body(yaml(name)).exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"tessera-registry\"")
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unauthorized");
    http.post().uri("/api/v1/groupbys").contentType(YAML).headers(h -> h.setBasicAuth(WRITER, "wrong-password")).body(yaml(name)).exchange()
        .expectStatus().isUnauthorized();
    http.post().uri("/api/v1/groupbys").contentType(YAML).headers(h -> h.setBasicAuth(READER, READER_PASSWORD)).body(yaml(name)).exchange()
        .expectStatus().isForbidden()
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/forbidden")
        .jsonPath("$.detail").value(String.class, d -> assertThat(d).startsWith("reader may not do this"));
    http.delete().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isUnauthorized();
    http.post().uri("/api/v1/groupbys").contentType(YAML).header("X-API-Key", "not-a-token-at-all").body(yaml(name)).exchange()
        .expectStatus().isUnauthorized().expectBody().jsonPath("$.detail").isEqualTo("The API token is not valid.");
    // nothing of the refused writes was stored
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isNotFound();

    http.post().uri("/api/v1/groupbys").contentType(YAML).header("X-API-Key", TOKEN).body(yaml(name)).exchange()
        .expectStatus().isCreated();
    http.post().uri("/api/v1/groupbys").contentType(YAML).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
        .body(yaml(name, "other", "1h, 24h")).exchange().expectStatus().isOk();
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectBody()
        .jsonPath("$.publishedBy").isEqualTo("ci").jsonPath("$.updatedBy").isEqualTo("ci");
  }

  @Test
  void bodiesOverTheLimitAre413EvenWhenChunked() throws Exception {
    String huge = yaml(uniqueName("api_huge")) + "#" + "x".repeat(1024 * 1024) + "\n";
    publish(huge, YAML).expectStatus().isEqualTo(413)
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/payload-too-large");

    // no Content-Length: the filter counts while the body is read
    HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/groupbys/validate"))
        .header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
        .build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> r = client.send(chunked, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("https://tessera.dev/problems/payload-too-large");
    }
  }

  @Test
  void aBatchOfFilesIsPublishedAllOrNothing() {
    String a = uniqueName("api_batch");
    String b = uniqueName("api_batch");
    String good = "[{\"file\": \"a.yaml\", \"content\": " + JSON.writeValueAsString(yaml(a)) + "}, "
        + json(b, "risk", "1h") + "]";
    String bad = "[{\"file\": \"a.yaml\", \"content\": " + JSON.writeValueAsString(yaml(a)) + "}, "
        + "{\"file\": \"b.yaml\", \"content\": " + JSON.writeValueAsString(yaml(b, "risk", "1h, 2x")) + "}]";

    // a dry run needs no login and writes nothing
    http.post().uri("/api/v1/groupbys:batch?dryRun=true").contentType(MediaType.APPLICATION_JSON).body(good).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.dryRun").isEqualTo(true)
        .jsonPath("$.valid").isEqualTo(true)
        .jsonPath("$.published").isEqualTo(false)
        .jsonPath("$.items[0].source").isEqualTo("a.yaml")
        .jsonPath("$.items[0].change").isEqualTo("CREATED")
        .jsonPath("$.items[1].source").isEqualTo("#1");
    http.post().uri("/api/v1/groupbys:batch").contentType(MediaType.APPLICATION_JSON).body(good).exchange().expectStatus().isUnauthorized();
    http.post().uri("/api/v1/groupbys:batch").contentType(MediaType.APPLICATION_JSON).header("X-API-Key", TOKEN).body(bad).exchange()
        .expectStatus().isBadRequest()
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/invalid-groupby-batch")
        .jsonPath("$.detail").isEqualTo("1 of 2 definitions have problems; nothing was published")
        .jsonPath("$.items[0].valid").isEqualTo(true)
        .jsonPath("$.items[1].valid").isEqualTo(false)
        .jsonPath("$.items[1].problems[0].path").isEqualTo("$.aggregations[0].windows[1]")
        .jsonPath("$.items[1].problems[0].line").isEqualTo(15);
    http.get().uri("/api/v1/groupbys/{n}", a).exchange().expectStatus().isNotFound();

    http.post().uri("/api/v1/groupbys:batch").contentType(MediaType.APPLICATION_JSON).header("X-API-Key", TOKEN).body(good).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.published").isEqualTo(true)
        .jsonPath("$.items[0].version").isEqualTo(1)
        .jsonPath("$.items[1].version").isEqualTo(1)
        .jsonPath("$.publication.status").isEqualTo("PENDING");
    http.get().uri("/api/v1/groupbys/{n}", b).exchange().expectStatus().isOk();

    http.post().uri("/api/v1/groupbys:batch").contentType(MediaType.APPLICATION_JSON).header("X-API-Key", TOKEN).body("{\"not\": \"a list\"}")
        .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/bad-request");
  }

  @Test
  void aBatchOfMultipartFiles() {
    String a = uniqueName("api_multi");
    String b = uniqueName("api_multi");
    MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
    parts.add("files", new NamedBytes(yaml(a), "a.yaml"));
    parts.add("files", new NamedBytes(json(b, "risk", "1h"), "b.json"));
    http.post().uri("/api/v1/groupbys:batch").contentType(MediaType.MULTIPART_FORM_DATA).header("X-API-Key", TOKEN).body(parts).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.items[0].source").isEqualTo("a.yaml")
        .jsonPath("$.items[1].source").isEqualTo("b.json")
        .jsonPath("$.items[1].name").isEqualTo(b)
        .jsonPath("$.items[1].change").isEqualTo("CREATED");
  }

  /** A multipart file part with a file name. */
  static final class NamedBytes extends org.springframework.core.io.ByteArrayResource {
    private final String fileName;

    NamedBytes(String text, String fileName) {
      super(text.getBytes(StandardCharsets.UTF_8));
      this.fileName = fileName;
    }

    @Override
    public String getFilename() {
      return fileName;
    }
  }

  @Test
  void metricsHealthAndOpenApiDescribeTheRegistry() {
    String name = uniqueName("api_metrics");
    publish(yaml(name), YAML).expectStatus().isCreated();
    http.post().uri("/api/v1/groupbys/validate").contentType(YAML).body("name: x\n").exchange().expectStatus().isBadRequest();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class).value(body -> assertThat(body)
        .containsPattern("tessera_registry_publishes_total\\{[^}]*change=\"created\"[^}]*} [1-9]")
        .containsPattern("tessera_registry_validation_failures_total\\{[^}]*operation=\"validate\"[^}]*} [1-9]")
        .containsPattern("tessera_registry_outbox_pending\\{[^}]*} [1-9]")
        .contains("tessera_registry_outbox_oldest_age_seconds"));
    http.get().uri("/actuator/health").exchange().expectBody()
        .jsonPath("$.components.outbox.details.topic").isEqualTo("tessera.registry")
        .jsonPath("$.components.outbox.details.pending").value(Integer.class, p -> assertThat(p).isPositive());
    http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.paths['/api/v1/groupbys'].post.summary").isEqualTo("Publish a GroupBy")
        .jsonPath("$.paths['/api/v1/groupbys/{name}/diff'].get").exists()
        .jsonPath("$.paths['/api/v1/groupbys:batch'].post").exists()
        .jsonPath("$.components.securitySchemes.apiKey.name").isEqualTo("X-API-Key")
        .jsonPath("$.info.title").value(String.class, t -> assertThat(t).isEqualTo("Tessera registry"));
  }

  @Test
  void problemsNameTheRequest() {
    http.get().uri("/api/v1/groupbys/{n}", "nope_nope").exchange().expectBody()
        .jsonPath("$.instance").value(String.class, i -> assertThat(i).isEqualTo("/api/v1/groupbys/nope_nope"));
    http.post().uri("/api/v1/groupbys").contentType(YAML).body("x").exchange().expectBody()
        .jsonPath("$.instance").value(String.class, i -> assertThat(i).startsWith("/api/v1/groupbys"));
  }
}
