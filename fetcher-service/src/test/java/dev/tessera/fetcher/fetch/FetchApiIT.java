package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.fetcher.FetcherIT;
import dev.tessera.fetcher.system.ApiKeyFilter;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;

/** The fetch API's contract (DESIGN.md "REST APIs", fetcher) over HTTP against real Redis and Kafka. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FetchApiIT extends FetcherIT {
  static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  static final long B = 1_764_000_000_000L - 1_764_000_000_000L % DAY;

  CompiledGroupBy g;
  Map<List<Object>, List<Row>> rows;

  @BeforeAll
  void publishAndWrite() {
    g = GroupByCompiler.compile("""
        name: %s
        keys: [user_id]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: %s, query: {timeColumn: ts}}}]
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 7d]}
          - {inputColumn: qty, operation: SUM, windows: [1d]}
          - {inputColumn: merchant, operation: LAST_K, args: {k: "3"}}
        """.formatted(TestGroupBys.uniqueName("it_api"), EventGenerator.SCHEMA_YAML)).orThrow();
    publish(g, 1);
    rows = Entities.rowsByKey(g, new EventGenerator(42).purchases(40, 4000, B - 8 * DAY, B + DAY));
    redis.setUploadMarker(g.name(), 1, B);
    rows.forEach((key, r) -> redis.write(g.name(), 1, key, EncodedEntity.of(g, r, B, B + DAY)));
  }

  @Test
  void manyKeysInOneRequestEqualTheOracleAndAKeyWithoutDataSucceedsEmpty() {
    long t = B + 13 * HOUR;
    List<Map<String, Object>> keys = new ArrayList<>();
    rows.keySet().forEach(k -> keys.add(Map.of("user_id", k.getFirst())));
    keys.add(Map.of("user_id", "nobody"));
    JsonNode results = post(g.name(), Json.MAPPER.writeValueAsString(keys), t).get("results");
    assertThat(results.size()).isEqualTo(rows.size() + 1).isGreaterThan(30);
    NaiveAggregator oracle = new NaiveAggregator(g);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonNode r = results.get(i);
      assertThat(r.get("status").asString()).isEqualTo("Success");
      Object user = keys.get(i).get("user_id");
      List<Row> entityRows = rows.getOrDefault(List.of(user), List.of());
      FeatureComparison.mismatches(oracle.valuesAt(entityRows, t), features(r), Map.of()).forEach(m -> failures.add(user + " " + m));
    }
    assertThat(failures).isEmpty();
    JsonNode nobody = results.get(keys.size() - 1);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("amount_sum_1h", null);
    expected.put("amount_sum_7d", null);
    expected.put("amount_count_1h", 0L);
    expected.put("amount_count_7d", 0L);
    expected.put("qty_sum_1d", null);
    expected.put("merchant_last_k", null);
    assertThat(features(nobody)).isEqualTo(expected);
    assertThat(nobody.get("meta").get("batchEnd").asLong()).isEqualTo(B);
    assertThat(nobody.get("meta").get("latestTileEnd").isNull()).isTrue();
  }

  @Test
  void getOfOneKeyAnswersAsThePostOfIt() {
    long t = B + 2 * HOUR;
    Object user = rows.keySet().iterator().next().getFirst();
    JsonNode posted = post(g.name(), "[{\"user_id\": \"" + user + "\"}]", t);
    String got = http.get().uri("/v1/features/groupby/{name}?user_id={u}&atMillis={t}", g.name(), user, t).exchange()
        .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    assertThat(Json.MAPPER.readTree(got)).isEqualTo(posted);
    assertThat(posted.get("results").get(0).get("meta").get("latestTileEnd").asLong()).isBetween(B, t);
  }

  @Test
  void withoutAtMillisValuesAreAsOfNow() {
    long before = System.currentTimeMillis();
    JsonNode r = post(g.name(), "[{\"user_id\": \"u1\"}]", null).get("results").get(0);
    assertThat(r.get("meta").get("asOf").asLong()).isBetween(before, System.currentTimeMillis());
    // a day or more after the marker's batch end: served, and flagged stale
    assertThat(r.get("meta").get("stale").asBoolean()).isTrue();
  }

  @Test
  void oneBadKeyFailsAloneAndTheOthersSucceed() {
    CompiledGroupBy bad = renamedPublished("it_bad");
    List<Object> good = List.of("good"), corrupt = List.of("corrupt"), wrongType = List.of("wrong_type"), badField = List.of("bad_field");
    redis.setUploadMarker(bad.name(), 1, B);
    redis.write(bad.name(), 1, good, EncodedEntity.of(bad, rowsOf(bad, "good", B - HOUR, 3.0), B, B + DAY));
    redis.write(bad.name(), 1, corrupt, EncodedEntity.of(bad, rowsOf(bad, "corrupt", B - HOUR, 3.0), B, B + DAY));
    byte[] corruptKey = RedisTestData.bytes(RedisKeys.batchKey(bad.name(), 1, corrupt));
    byte[] ir = redis.redis().get(corruptKey);
    redis.redis().set(corruptKey, java.util.Arrays.copyOf(ir, ir.length - 4));
    redis.redis().set(RedisTestData.bytes(RedisKeys.tilesKey(bad.name(), 1, wrongType)), RedisTestData.bytes("not a hash"));
    redis.redis().hset(RedisTestData.bytes(RedisKeys.tilesKey(bad.name(), 1, badField)), RedisTestData.bytes("yesterday"), new byte[] {1});

    JsonNode results = post(bad.name(), "[{\"user_id\": \"corrupt\"}, {\"user_id\": \"wrong_type\"}, {\"user_id\": \"good\"}, "
        + "{\"user_id\": \"bad_field\"}]", B + HOUR).get("results");
    assertThat(results.get(0).get("status").asString()).isEqualTo("Failure");
    assertThat(results.get(0).get("error").asString()).startsWith("stored data of this key cannot be read: ");
    assertThat(results.get(0).has("features")).isFalse();
    assertThat(results.get(1).get("status").asString()).isEqualTo("Failure");
    assertThat(results.get(1).get("error").asString()).startsWith("tiles key cannot be read: WRONGTYPE");
    assertThat(results.get(2).get("status").asString()).isEqualTo("Success");
    assertThat(features(results.get(2))).containsEntry("amount_sum_7d", 3.0);
    assertThat(results.get(3).get("error").asString()).isEqualTo("tiles hash has a field that is not a tile start: 'yesterday'");
    assertThat(results.get(3).get("entityKeys").get("user_id").asString()).isEqualTo("bad_field");
    assertThat(prometheus()).contains("tessera_fetch_errors_total{groupBy=\"" + bad.name() + "\",kind=\"corrupt_ir\"} 1.0")
        .contains("tessera_fetch_errors_total{groupBy=\"" + bad.name() + "\",kind=\"unreadable_key\"} 2.0");
  }

  @Test
  void aTimeBeforeTheBatchEndFailsThatKey() {
    JsonNode r = post(g.name(), "[{\"user_id\": \"u1\"}]", B - 1).get("results").get(0);
    assertThat(r.get("status").asString()).isEqualTo("Failure");
    assertThat(r.get("error").asString()).contains("ends at " + B);
  }

  @Test
  void aNewVersionReadsOnlyItsOwnData() {
    CompiledGroupBy versioned = renamedPublished("it_ver");
    redis.setUploadMarker(versioned.name(), 1, B);
    redis.write(versioned.name(), 1, List.of("u"), EncodedEntity.of(versioned, rowsOf(versioned, "u", B - HOUR, 5.0), B, B + DAY));
    assertThat(features(post(versioned.name(), "[{\"user_id\": \"u\"}]", B + HOUR).get("results").get(0))).containsEntry("amount_sum_7d", 5.0);
    publish(versioned, 2);
    JsonNode r = post(versioned.name(), "[{\"user_id\": \"u\"}]", B + HOUR).get("results").get(0);
    assertThat(r.get("meta").get("version").asInt()).isEqualTo(2);
    assertThat(features(r)).containsEntry("amount_sum_7d", null);
    assertThat(r.get("meta").get("batchEnd").isNull()).isTrue();
  }

  @Test
  void malformedBodiesAndKeysAre400sNamingTheProblem() {
    assertThat(problem(postRaw(g.name(), "[{\"user_id\": ", null), HttpStatus.BAD_REQUEST, "malformed-body").get("detail").asString())
        .startsWith("the body is not readable JSON: Unexpected end-of-input").endsWith("(line 1, column 14)");
    assertThat(problem(postRaw(g.name(), "", null), HttpStatus.BAD_REQUEST, "malformed-body").get("detail").asString())
        .isEqualTo("the body is not readable JSON: missing or empty");
    problem(postRaw(g.name(), "{\"user_id\": \"u1\"}", null), HttpStatus.BAD_REQUEST, "malformed-body");
    JsonNode typed = problem(postRaw(g.name(), "[{\"user_id\": 123}]", null), HttpStatus.BAD_REQUEST, "invalid-key");
    assertThat(typed.get("problems").get(0).get("path").asString()).isEqualTo("$[0].user_id");
    assertThat(typed.get("detail").asString()).isEqualTo("$[0].user_id: must be a JSON string (key type STRING), got an integer (123); "
        + "send it quoted, e.g. \"123\"");
    JsonNode extra = problem(postRaw(g.name(), "[{\"user_id\": \"u\", \"userid\": \"u\"}, {}]", null), HttpStatus.BAD_REQUEST, "invalid-key");
    assertThat(extra.get("problems").size()).isEqualTo(2);
    assertThat(extra.get("problems").get(0).get("path").asString()).isEqualTo("$[0].userid");
    assertThat(extra.get("problems").get(1).get("message").asString()).startsWith("missing key 'user_id'");
    StringBuilder tooMany = new StringBuilder("[");
    for (int i = 0; i <= MAX_KEYS; i++) tooMany.append(i == 0 ? "" : ",").append("{\"user_id\": \"u").append(i).append("\"}");
    assertThat(problem(postRaw(g.name(), tooMany.append("]").toString(), null), HttpStatus.BAD_REQUEST, "too-many-keys").get("detail").asString()).startsWith((MAX_KEYS + 1) + " keys in one request; at most " + MAX_KEYS);
    assertThat(problem(postRaw(g.name(), "[{\"user_id\": \"u1\"}]", "yesterday"), HttpStatus.BAD_REQUEST, "invalid-parameter").get("detail").asString()).startsWith("atMillis: 'yesterday' is not a time");
    problem(http.get().uri("/v1/features/groupby/{name}?userid=1", g.name()).exchange(), HttpStatus.BAD_REQUEST, "invalid-key");
    assertThat(prometheus()).contains("tessera_fetch_errors_total{groupBy=\"" + g.name() + "\",kind=\"too_many_keys\"} 1.0");
  }

  @Test
  void anEmptyListGivesNoResults() {
    assertThat(post(g.name(), "[]", null).get("results").size()).isZero();
  }

  @Test
  void anUnknownOrRetiredGroupByIs404() {
    assertThat(problem(postRaw("it_never_published", "[{\"user_id\": \"u1\"}]", null), HttpStatus.NOT_FOUND, "unknown-groupby").get("detail").asString()).isEqualTo("no live GroupBy named 'it_never_published'");
    problem(postRaw("Not-A-Name", "[]", null), HttpStatus.NOT_FOUND, "unknown-groupby");
    CompiledGroupBy retired = renamedPublished("it_retired");
    post(retired.name(), "[]", null);
    retire(retired.name());
    problem(postRaw(retired.name(), "[]", null), HttpStatus.NOT_FOUND, "unknown-groupby");
  }

  @Test
  void aGroupByTheTopicHasNotShownYetIsFoundThroughTheRegistryApi() {
    CompiledGroupBy fresh = TestGroupBys.renamed(g.definition(), TestGroupBys.uniqueName("it_rest"));
    REGISTRY.publish(TestGroupBys.published(fresh, 4));
    redis.write(fresh.name(), 4, List.of("u"), EncodedEntity.of(fresh, rowsOf(fresh, "u", B + 5 * MINUTE, 2.5), B, B + DAY));
    int asked = REGISTRY.requests.get();
    JsonNode r = post(fresh.name(), "[{\"user_id\": \"u\"}]", B + HOUR).get("results").get(0);
    assertThat(r.get("meta").get("version").asInt()).isEqualTo(4);
    assertThat(features(r)).containsEntry("amount_sum_1h", 2.5);
    post(fresh.name(), "[{\"user_id\": \"u\"}]", B + HOUR);
    assertThat(REGISTRY.requests.get()).as("the answer is cached").isEqualTo(asked + 1);
    // a registry that fails, while the topic has been read to its end, means the name is unknown
    REGISTRY.breakName("it_registry_broken");
    problem(postRaw("it_registry_broken", "[]", null), HttpStatus.NOT_FOUND, "unknown-groupby");
    // the registry answers for retired GroupBys too, with status RETIRED: not served
    CompiledGroupBy retired = TestGroupBys.renamed(g.definition(), TestGroupBys.uniqueName("it_rest_retired"));
    REGISTRY.retire(TestGroupBys.published(retired, 2));
    problem(postRaw(retired.name(), "[]", null), HttpStatus.NOT_FOUND, "unknown-groupby");
  }

  @Test
  void withoutTheApiKeyRequestsAre401() {
    assertThat(problem(anonymousHttp.post().uri("/v1/features/groupby/{n}", g.name()).contentType(MediaType.APPLICATION_JSON).body("[]").exchange(),
        HttpStatus.UNAUTHORIZED, "unauthorized").get("detail").asString()).isEqualTo("this fetcher requires an API key in the X-API-Key header");
    problem(anonymousHttp.get().uri("/v1/features/groupby/{n}?user_id=u", g.name()).header(ApiKeyFilter.HEADER, "wrong-key-0123456789").exchange(),
        HttpStatus.UNAUTHORIZED, "unauthorized");
    anonymousHttp.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
  }

  @Test
  void anErrorCarriesTheRequestIdInItsHeaderAndProblem() {
    http.post().uri("/v1/features/groupby/it_never_published").header("X-Request-Id", "ticket-4711")
        .contentType(MediaType.APPLICATION_JSON).body("[{\"user_id\": \"u1\"}]").exchange()
        .expectStatus().isNotFound()
        .expectHeader().valueEquals("X-Request-Id", "ticket-4711")
        .expectBody().jsonPath("$.requestId").isEqualTo("ticket-4711");
    // the API-key filter writes its problem itself
    anonymousHttp.get().uri("/v1/features/groupby/{n}?user_id=u", g.name()).header("X-Request-Id", "ticket-4712").exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().valueEquals("X-Request-Id", "ticket-4712")
        .expectBody().jsonPath("$.requestId").isEqualTo("ticket-4712");
  }

  @Test
  void requestIdsAreEchoedAndMetricsExported() {
    http.post().uri("/v1/features/groupby/{n}?atMillis={t}", g.name(), B + HOUR).header("X-Request-Id", "trace-42")
        .contentType(MediaType.APPLICATION_JSON).body("[{\"user_id\": \"u1\"}]").exchange()
        .expectStatus().isOk().expectHeader().valueEquals("X-Request-Id", "trace-42")
        .expectHeader().valueEquals("Cache-Control", "no-store");
    String metrics = prometheus();
    String tag = "groupBy=\"" + g.name() + "\"";
    assertThat(metrics).contains("tessera_fetch_latency_seconds_bucket{" + tag + ",le=\"1.0E-4\"}")
        .contains("tessera_fetch_latency_seconds_count{" + tag + "}")
        .contains("tessera_fetch_redis_latency_seconds_bucket{" + tag + ",le=\"5.0E-5\"}")
        .contains("tessera_fetch_keys_bucket{" + tag + ",le=\"1.0\"}")
        .contains("tessera_fetch_stale_total{" + tag + "}")
        .contains("resilience4j_circuitbreaker_state{name=\"redis\",state=\"closed\"} 1.0")
        .contains("resilience4j_bulkhead_available_concurrent_calls{name=\"redis\"}");
    // fetches are timed by tessera_fetch_latency, not also by Spring's generic observation; other requests are
    assertThat(prometheus()).contains("http_server_requests_seconds_count{").contains("uri=\"/actuator/prometheus\"")
        .doesNotContain("uri=\"/v1/features");
  }

  @Test
  void readinessWaitsForTheRegistryTopic() {
    anonymousHttp.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
  }

  private CompiledGroupBy renamedPublished(String prefix) {
    CompiledGroupBy c = TestGroupBys.renamed(g.definition(), TestGroupBys.uniqueName(prefix));
    publish(c, 1);
    return c;
  }

  static List<Row> rowsOf(CompiledGroupBy g, String user, long ts, double amount) {
    Map<String, Object> e = new HashMap<>();
    e.put("user_id", user);
    e.put("merchant", "shop");
    e.put("amount", amount);
    e.put("qty", 1L);
    e.put("currency", "USD");
    e.put("ts", ts);
    return Entities.rowsByKey(g, List.of(e)).values().iterator().next();
  }

  private RestTestClient.ResponseSpec postRaw(String groupBy, String body, String atMillis) {
    return http.post().uri(u -> (atMillis == null ? u : u.queryParam("atMillis", atMillis)).path("/v1/features/groupby/{n}").build(groupBy))
        .contentType(MediaType.APPLICATION_JSON).body(body).exchange();
  }

  /**
   * Issue 21: a 50 MB body was read whole and a 50 MB key reached Redis (503, a circuit-breaker
   * failure for every client); duplicate fields were accepted. Now each is refused before Redis.
   */
  @Test
  void hostileBodiesAndKeysAreRefusedBeforeAnyRedisWork() {
    String huge = "x".repeat(KeySchema.MAX_KEY_LENGTH + 1);
    for (int i = 0; i < 10; i++) {
      JsonNode longKey = problem(postRaw(g.name(), "[{\"user_id\": \"" + huge + "\"}]", null), HttpStatus.BAD_REQUEST, "invalid-key");
      assertThat(longKey.get("detail").asString()).contains("at most " + KeySchema.MAX_KEY_LENGTH);
    }
    http.get().uri("/v1/features/groupby/{n}?user_id=" + huge, g.name()).exchange().expectStatus().isBadRequest();
    String big = "[" + ("{\"user_id\": \"u\"},".repeat(70_000)) + "{\"user_id\": \"u\"}]"; // > 1 MB
    JsonNode tooLarge = problem(postRaw(g.name(), big, null), HttpStatus.CONTENT_TOO_LARGE, "payload-too-large");
    assertThat(tooLarge.get("detail").asString()).contains("tessera.security.max-request-size");
    problem(postRaw(g.name(), "[{\"user_id\": \"a\", \"user_id\": \"b\"}]", null), HttpStatus.BAD_REQUEST, "malformed-body");
    http.post().uri("/v1/features/groupby/{n}", g.name()).contentType(MediaType.APPLICATION_FORM_URLENCODED).body("user_id=u").exchange()
        .expectStatus().isEqualTo(415).expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    // none of it touched Redis: the breaker is closed and a normal fetch is served
    assertThat(prometheus()).contains("resilience4j_circuitbreaker_state{name=\"redis\",state=\"closed\"} 1.0");
    assertThat(post(g.name(), "[{\"user_id\": \"u\"}]", null).get("results").get(0).get("status").asString()).isEqualTo("Success");
  }

  @org.springframework.boot.test.web.server.LocalServerPort
  int port;

  /** Issue 21: an encoded ../ in a fetcher URL got Tomcat's HTML error page. */
  @Test
  void aPathTomcatRefusesIsAProblemNotAnHtmlPage() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var response = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/v1/features/groupby/..%2F..%2Fetc%2Fpasswd")).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(response.body()).doesNotContain("<html").doesNotContain("Tomcat").contains("\"status\":400");
  }
}
