package dev.tessera.fetcher.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.fetcher.FetcherIT;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.TestGroupBys;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;

/** The Join fetch API's contract (DESIGN-joins.md "Online: one call for the whole vector") over HTTP against real Redis and Kafka. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinFetchApiIT extends FetcherIT {
  static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  static final long B = 1_764_000_000_000L - 1_764_000_000_000L % DAY;
  static final long T = B + 13 * HOUR;

  @Autowired
  MeterRegistry meters;

  CompiledGroupBy user, merchant, pair;
  Join join;
  CompiledJoin compiled;
  List<Map<String, Object>> events;

  @BeforeAll
  void publishAndWrite() {
    user = groupBy("it_jusr", "[user_id]", """
        - {inputColumn: amount, operation: SUM, windows: [1h, 7d]}
        - {inputColumn: amount, operation: AVG, windows: [7d]}
        - {inputColumn: amount, operation: COUNT, windows: [1d]}""");
    merchant = groupBy("it_jmer", "[merchant]", """
        - {inputColumn: amount, operation: COUNT, windows: [1d]}
        - {inputColumn: user_id, operation: UNIQUE_COUNT, windows: [1d]}""");
    pair = groupBy("it_jpair", "[user_id, merchant]", """
        - {inputColumn: amount, operation: SUM, windows: [30d]}
        - {inputColumn: amount, operation: COUNT, windows: [30d]}""");
    for (CompiledGroupBy g : List.of(user, merchant, pair)) publish(g, 1);
    join = join(TestGroupBys.uniqueName("it_join"), user.name(), null, merchant.name());
    publish(join, 1);
    compiled = compile(join, user, merchant, pair);
    events = new EventGenerator(7).purchases(12, 3000, B - 20 * DAY, B + DAY);
    // the pair GroupBy's tiles are a day long: a tile holding T would hold events after T too, so only events before T are written
    for (CompiledGroupBy g : List.of(user, merchant, pair)) write(g, 1, events, B, T);
  }

  static CompiledGroupBy groupBy(String prefix, String keys, String aggregations) {
    return GroupByCompiler.compile("""
        name: %s
        keys: %s
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: %s, query: {timeColumn: ts}}}]
        aggregations:
        %s
        """.formatted(TestGroupBys.uniqueName(prefix), keys, EventGenerator.SCHEMA_YAML, aggregations.indent(2))).orThrow();
  }

  /** The fraud model of DESIGN-joins.md: buyer, merchant (no prefix) and pair parts, two request fields, two derivations. */
  Join join(String name, String userGroupBy, Integer userVersion, String merchantGroupBy) {
    Map<String, DataType> schema = new LinkedHashMap<>();
    schema.put("buyer", DataType.Primitive.STRING);
    schema.put("shop", DataType.Primitive.STRING);
    schema.put("amount_now", DataType.Primitive.DOUBLE);
    schema.put("channel", DataType.Primitive.STRING);
    schema.put("ts", DataType.Primitive.LONG);
    return Join.builder(name).online(true).left(new LeftSource("checkouts", "ts", schema))
        .part(new JoinPart(userGroupBy, userVersion, Map.of("buyer", "user_id"), "buyer"))
        .part(merchantGroupBy, Map.of("shop", "merchant"), null)
        .part(pair.name(), Map.of("buyer", "user_id", "shop", "merchant"), "pair")
        .request("amount_now", "channel")
        .derive("amount_vs_avg", "amount_now / buyer_amount_avg_7d")
        .derive("new_pair", "pair_amount_count_30d == 0")
        .build();
  }

  static CompiledJoin compile(Join j, CompiledGroupBy... groupBys) {
    return JoinCompiler.compile(j, (name, version) -> List.of(groupBys).stream().filter(g -> g.name().equals(name)).findFirst()
        .<GroupByResolver.Resolution>map(g -> new GroupByResolver.Found(version == null ? 1 : version, g)).orElseThrow()).orThrow();
  }

  static void write(CompiledGroupBy g, int version, List<Map<String, Object>> events, long b, long until) {
    redis.setUploadMarker(g.name(), version, b);
    Entities.rowsByKey(g, events).forEach((key, rows) -> redis.write(g.name(), version, key, EncodedEntity.of(g, rows, b, until)));
  }

  static Map<String, Object> row(String buyer, String shop, Object amountNow, String channel) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("buyer", buyer);
    r.put("shop", shop);
    r.put("amount_now", amountNow);
    r.put("channel", channel);
    return r;
  }

  /** What the Join must give for a row at t: the oracle's features per part, put together by the training set's row assembly. */
  Map<String, Object> expected(CompiledJoin j, Map<String, Object> row, long t) {
    List<Map<String, Object>> parts = new ArrayList<>();
    for (var part : j.parts()) {
      List<Row> rows = Entities.rowsByKey(part.groupBy(), events).getOrDefault(part.keyOf(row::get), List.of());
      parts.add(new NaiveAggregator(part.groupBy()).valuesAt(rows, t));
    }
    return j.row(row::get, parts).values();
  }

  @Test
  void everyRowHasEveryOutputColumnEqualToTheOracleWithItsPartsMeta() {
    List<Map<String, Object>> rows = List.of(row("u0", "amazon", 12.5, "web"), row("u1", "apple", 3.0, "pos"),
        row("u2", "nowhere", null, "web"), row("nobody", "amazon", 7.0, null));
    JsonNode results = postJoin(join.name(), Json.MAPPER.writeValueAsString(rows), T).get("results");
    assertThat(results.size()).isEqualTo(rows.size());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = results.get(i);
      assertThat(r.get("status").asString()).isEqualTo("Success");
      assertThat(Json.toJava(r.get("keys"))).isEqualTo(Map.of("buyer", rows.get(i).get("buyer"), "shop", rows.get(i).get("shop")));
      Map<String, Object> served = features(r);
      Map<String, Object> expected = expected(compiled, rows.get(i), T);
      assertThat(served.keySet()).containsExactlyElementsOf(expected.keySet());
      Map<String, Object> asked = rows.get(i);
      FeatureComparison.mismatches(expected, served, Map.of()).forEach(m -> failures.add(asked + " " + m));
      JsonNode meta = r.get("meta");
      assertThat(meta.get("joinVersion").asInt()).isEqualTo(1);
      assertThat(meta.get("asOf").asLong()).isEqualTo(T);
      assertThat(meta.has("derivationErrors")).isFalse();
      assertThat(meta.get("parts").propertyNames()).containsExactly("buyer", merchant.name(), "pair");
      JsonNode buyer = meta.get("parts").get("buyer");
      assertThat(buyer.get("groupBy").asString()).isEqualTo(user.name());
      assertThat(buyer.get("version").asInt()).isEqualTo(1);
      assertThat(buyer.get("batchEnd").asLong()).isEqualTo(B);
      assertThat(buyer.get("stale").asBoolean()).isFalse();
      assertThat(buyer.has("error")).isFalse();
    }
    assertThat(failures).isEmpty();
    Map<String, Object> u0 = features(results.get(0));
    assertThat(u0).containsEntry("amount_now", 12.5).containsEntry("channel", "web");
    assertThat((Double) u0.get("amount_vs_avg")).isCloseTo(12.5 / (Double) u0.get("buyer_amount_avg_7d"), org.assertj.core.data.Offset.offset(1e-12));
    // an entity without events is known, with counts 0 (not an unknown entity); a null request field is carried as null
    assertThat(features(results.get(3))).containsEntry("buyer_amount_count_1d", 0L).containsEntry("channel", null);
    assertThat(features(results.get(2))).containsEntry("amount_vs_avg", null);
  }

  @Test
  void allPartsOfAllRowsAreReadInOneRoundTripEachDistinctEntityOnce() {
    DistributionSummary entities = meters.get("tessera.fetch.redis.entities").summary();
    long reads = entities.count();
    double read = entities.totalAmount();
    List<Map<String, Object>> rows = List.of(row("u0", "amazon", 1.0, "web"), row("u0", "apple", 2.0, "web"), row("u1", "amazon", 3.0, "web"),
        row("u0", "amazon", 4.0, "pos"));
    JsonNode results = postJoin(join.name(), Json.MAPPER.writeValueAsString(rows), T).get("results");
    assertThat(results.size()).isEqualTo(4);
    assertThat(entities.count() - reads).as("Redis round trips").isEqualTo(1);
    // users u0, u1; merchants amazon, apple; pairs (u0, amazon), (u0, apple), (u1, amazon)
    assertThat(entities.totalAmount() - read).as("entities read").isEqualTo(2 + 2 + 3);
    assertThat(results.get(3).get("features").get("pair_amount_sum_30d")).isEqualTo(results.get(0).get("features").get("pair_amount_sum_30d"));
  }

  @Test
  void getOfOneRowAnswersAsThePostOfIt() {
    JsonNode posted = postJoin(join.name(), Json.MAPPER.writeValueAsString(List.of(row("u3", "ebay", 9.75, "web"))), T);
    String got = http.get().uri("/v1/features/join/{n}?buyer=u3&shop=ebay&amount_now=9.75&channel=web&atMillis={t}", join.name(), T)
        .exchange().expectStatus().isOk().expectHeader().valueEquals("Cache-Control", "no-store")
        .expectBody(String.class).returnResult().getResponseBody();
    assertThat(Json.MAPPER.readTree(got)).isEqualTo(posted);
    problem(http.get().uri("/v1/features/join/{n}?buyer=u3&shop=ebay&amount_now=lots&channel=web", join.name()).exchange(),
        HttpStatus.BAD_REQUEST, "invalid-row");
  }

  @Test
  void aPartWithUnreadableDataFailsAloneAndEveryPartFailingIsAFailure() {
    List<Object> broken = List.of("broken_shop");
    redis.write(merchant.name(), 1, broken, EncodedEntity.of(merchant, Entities.rowsByKey(merchant,
        List.of(event("u0", "broken_shop", B - HOUR))).get(broken), B, B + DAY));
    byte[] key = RedisTestData.bytes(RedisKeys.batchKey(merchant.name(), 1, broken));
    byte[] ir = redis.redis().get(key);
    redis.redis().set(key, java.util.Arrays.copyOf(ir, ir.length - 3));

    JsonNode results = postJoin(join.name(), Json.MAPPER.writeValueAsString(List.of(row("u0", "broken_shop", 5.0, "web"),
        row("u0", "amazon", 5.0, "web"))), T).get("results");
    JsonNode partial = results.get(0);
    assertThat(partial.get("status").asString()).isEqualTo("PartialFailure");
    JsonNode failedPart = partial.get("meta").get("parts").get(merchant.name());
    assertThat(failedPart.get("error").asString()).startsWith("stored data of this key cannot be read: ");
    assertThat(failedPart.get("groupBy").asString()).isEqualTo(merchant.name());
    assertThat(failedPart.get("batchEnd").isNull()).isTrue();
    Map<String, Object> features = features(partial);
    assertThat(features).containsEntry(merchant.name() + "_amount_count_1d", null).containsEntry(merchant.name() + "_user_id_unique_count_1d", null);
    assertThat(features.get("buyer_amount_sum_7d")).isEqualTo(features(results.get(1)).get("buyer_amount_sum_7d")).isNotNull();
    assertThat(partial.get("meta").get("parts").get("buyer").has("error")).isFalse();
    assertThat(results.get(1).get("status").asString()).isEqualTo("Success");

    // before the stored batch end no part can answer (DESIGN.md: the batch data holds later events)
    JsonNode failure = postJoin(join.name(), Json.MAPPER.writeValueAsString(List.of(row("u0", "amazon", 5.0, "web"))), B - 1)
        .get("results").get(0);
    assertThat(failure.get("status").asString()).isEqualTo("Failure");
    failure.get("meta").get("parts").forEach(p -> assertThat(p.get("error").asString()).contains("ends at " + B));
    assertThat(features(failure)).containsEntry("amount_now", 5.0).containsEntry("buyer_amount_count_1d", null);
    assertThat(prometheus()).contains("tessera_join_part_failures_total{join=\"" + join.name() + "\",kind=\"corrupt_ir\",part=\""
        + merchant.name() + "\"} 1.0");
  }

  @Test
  void aPartWhoseVersionsUploadMarkerIsUnreadableFailsInEveryRow() {
    CompiledGroupBy shops = TestGroupBys.renamed(merchant.definition(), TestGroupBys.uniqueName("it_jmer_bad"));
    publish(shops, 1);
    Join j = join(TestGroupBys.uniqueName("it_join_bad"), user.name(), null, shops.name());
    publish(j, 1);
    redis.setUploadMarker(shops.name(), 1, B);
    redis.redis().set(RedisTestData.bytes(RedisKeys.uploadKey(shops.name(), 1)), RedisTestData.bytes("soon"));
    JsonNode results = postJoin(j.name(), Json.MAPPER.writeValueAsString(List.of(row("u0", "amazon", 1.0, "web"), row("u1", "ebay", 1.0, "web"))), T)
        .get("results");
    for (JsonNode r : results) {
      assertThat(r.get("status").asString()).isEqualTo("PartialFailure");
      assertThat(r.get("meta").get("parts").get(shops.name()).get("error").asString()).isEqualTo("upload marker is not a batch end in millis: 'soon'");
    }
  }

  @Test
  void aPartPinnedToAnOlderVersionReadsThatVersionsData() {
    CompiledGroupBy users = TestGroupBys.renamed(user.definition(), TestGroupBys.uniqueName("it_jusr_pin"));
    publish(users, 1);
    publish(users, 2);
    REGISTRY.publishVersion(TestGroupBys.published(users, 1));
    write(users, 1, events, B, T);
    Join pinned = join(TestGroupBys.uniqueName("it_join_pin"), users.name(), 1, merchant.name());
    Join live = join(TestGroupBys.uniqueName("it_join_live"), users.name(), null, merchant.name());
    publish(pinned, 1);
    publish(live, 1);
    String body = Json.MAPPER.writeValueAsString(List.of(row("u0", "amazon", 1.0, "web")));
    JsonNode p = postJoin(pinned.name(), body, T).get("results").get(0);
    assertThat(p.get("meta").get("parts").get("buyer").get("version").asInt()).isEqualTo(1);
    assertThat(features(p).get("buyer_amount_sum_7d")).isEqualTo(expected(compiled, row("u0", "amazon", 1.0, "web"), T).get("buyer_amount_sum_7d"))
        .isNotNull();
    JsonNode l = postJoin(live.name(), body, T).get("results").get(0);
    assertThat(l.get("meta").get("parts").get("buyer").get("version").asInt()).isEqualTo(2);
    assertThat(features(l)).containsEntry("buyer_amount_sum_7d", null);
    assertThat(l.get("meta").get("parts").get("buyer").get("batchEnd").isNull()).isTrue();
  }

  @Test
  void aNewGroupByVersionIsServedByTheJoinWithoutRepublishingIt() {
    CompiledGroupBy shops = TestGroupBys.renamed(merchant.definition(), TestGroupBys.uniqueName("it_jmer_ver"));
    publish(shops, 1);
    Join j = join(TestGroupBys.uniqueName("it_join_ver"), user.name(), null, shops.name());
    publish(j, 1);
    write(shops, 1, events, B, T);
    String body = Json.MAPPER.writeValueAsString(List.of(row("u0", "amazon", 1.0, "web")));
    JsonNode v1 = postJoin(j.name(), body, T).get("results").get(0);
    assertThat(v1.get("meta").get("parts").get(shops.name()).get("version").asInt()).isEqualTo(1);
    assertThat((Long) features(v1).get(shops.name() + "_amount_count_1d")).isPositive();
    publish(shops, 2);
    JsonNode v2 = postJoin(j.name(), body, T).get("results").get(0);
    assertThat(v2.get("meta").get("parts").get(shops.name()).get("version").asInt()).isEqualTo(2);
    assertThat(features(v2)).containsEntry(shops.name() + "_amount_count_1d", 0L);
  }

  @Test
  void badRowsAre400sNamingTheField() {
    String name = join.name();
    JsonNode missing = problem(postRaw(name, "[{\"buyer\": \"u0\", \"amount_now\": 1.0, \"channel\": \"web\"}]", null), HttpStatus.BAD_REQUEST,
        "invalid-row");
    assertThat(missing.get("detail").asString()).startsWith("$[0]: missing key column 'shop' (STRING)");
    JsonNode missingField = problem(postRaw(name, "[{\"buyer\": \"u0\", \"shop\": \"s\", \"channel\": \"web\"}]", null), HttpStatus.BAD_REQUEST,
        "invalid-row");
    assertThat(missingField.get("detail").asString()).startsWith("$[0]: missing request field 'amount_now' (DOUBLE)");
    JsonNode nullKey = problem(postRaw(name, "[{\"buyer\": null, \"shop\": \"s\", \"amount_now\": 1, \"channel\": \"web\"}]", null),
        HttpStatus.BAD_REQUEST, "invalid-row");
    assertThat(nullKey.get("problems").get(0).get("path").asString()).isEqualTo("$[0].buyer");
    assertThat(nullKey.get("detail").asString()).isEqualTo("$[0].buyer: is null; a key column needs a value online");
    JsonNode typed = problem(postRaw(name, "[{\"buyer\": \"u0\", \"shop\": \"s\", \"amount_now\": \"12.5\", \"channel\": \"web\"}]", null),
        HttpStatus.BAD_REQUEST, "invalid-row");
    assertThat(typed.get("detail").asString()).isEqualTo("$[0].amount_now: must be a JSON number (request field type DOUBLE), got a string");
    JsonNode keyTyped = problem(postRaw(name, "[{\"buyer\": 7, \"shop\": \"s\", \"amount_now\": 1, \"channel\": \"web\"}]", null),
        HttpStatus.BAD_REQUEST, "invalid-row");
    assertThat(keyTyped.get("problems").get(0).get("path").asString()).isEqualTo("$[0].buyer");
    JsonNode unknown = problem(postRaw(name, "[{\"buyer\": \"u0\", \"shop\": \"s\", \"amount_now\": 1, \"channel\": \"web\", \"label\": 1}]", null),
        HttpStatus.BAD_REQUEST, "invalid-row");
    assertThat(unknown.get("problems").get(0).get("path").asString()).isEqualTo("$[0].label");
    problem(postRaw(name, "{\"buyer\": \"u0\"}", null), HttpStatus.BAD_REQUEST, "malformed-body");
    problem(postRaw(name, "[{\"buyer\": ", null), HttpStatus.BAD_REQUEST, "malformed-body");
    problem(postRaw(name, "[]", "yesterday"), HttpStatus.BAD_REQUEST, "invalid-parameter");
    problem(http.get().uri("/v1/features/join/{n}?buyer=u0&shop=s&amount_now=1", name).exchange(), HttpStatus.BAD_REQUEST, "invalid-row");
    // an integer for a DOUBLE field is a number, and a JSON null request field is allowed
    JsonNode ok = postJoin(name, "[{\"buyer\": \"u0\", \"shop\": \"s\", \"amount_now\": 12, \"channel\": null}]", T).get("results").get(0);
    assertThat(features(ok)).containsEntry("amount_now", 12.0).containsEntry("channel", null);
    assertThat(prometheus()).contains("tessera_join_errors_total{join=\"" + name + "\",kind=\"invalid_row\"}");
  }

  @Test
  void anUnknownOrRetiredJoinIs404AndOneFoundThroughTheRegistryApiIsServed() {
    assertThat(problem(postRaw("it_never_joined", "[]", null), HttpStatus.NOT_FOUND, "unknown-join").get("detail").asString())
        .isEqualTo("no live Join named 'it_never_joined'");
    problem(postRaw("Not-A-Name", "[]", null), HttpStatus.NOT_FOUND, "unknown-join");
    problem(http.get().uri("/v1/features/join/it_never_joined?buyer=u0").exchange(), HttpStatus.NOT_FOUND, "unknown-join");
    // a GroupBy of that name is not a Join: the namespaces are apart
    problem(postRaw(user.name(), "[]", null), HttpStatus.NOT_FOUND, "unknown-join");

    Join retired = join(TestGroupBys.uniqueName("it_join_ret"), user.name(), null, merchant.name());
    publish(retired, 1);
    assertThat(postJoin(retired.name(), "[]", null).get("results").size()).isZero();
    retireJoin(retired.name());
    problem(postRaw(retired.name(), "[]", null), HttpStatus.NOT_FOUND, "unknown-join");

    Join fresh = join(TestGroupBys.uniqueName("it_join_rest"), user.name(), null, merchant.name());
    REGISTRY.publish(TestGroupBys.published(fresh, 3));
    int asked = REGISTRY.requests.get();
    JsonNode r = postJoin(fresh.name(), Json.MAPPER.writeValueAsString(List.of(row("u0", "amazon", 1.0, "web"))), T).get("results").get(0);
    assertThat(r.get("meta").get("joinVersion").asInt()).isEqualTo(3);
    assertThat(r.get("status").asString()).isEqualTo("Success");
    postJoin(fresh.name(), "[]", null);
    assertThat(REGISTRY.requests.get()).as("the answer is cached").isEqualTo(asked + 1);
    assertThat(prometheus()).contains("tessera_join_errors_total{join=\"none\",kind=\"unknown_join\"}");
  }

  @Test
  void aJoinWhosePartsGroupByIsRetiredCannotBeServed() {
    CompiledGroupBy shops = TestGroupBys.renamed(merchant.definition(), TestGroupBys.uniqueName("it_jmer_ret"));
    publish(shops, 1);
    Join j = join(TestGroupBys.uniqueName("it_join_unserv"), user.name(), null, shops.name());
    publish(j, 1);
    postJoin(j.name(), "[]", null);
    retire(shops.name());
    JsonNode p = problem(postRaw(j.name(), "[]", null), HttpStatus.SERVICE_UNAVAILABLE, "join-unservable");
    assertThat(p.get("detail").asString()).startsWith("Join '" + j.name() + "' version 1 cannot be served: ").contains(shops.name());
  }

  @Test
  void joinMetricsAreExportedPerJoin() {
    postJoin(join.name(), Json.MAPPER.writeValueAsString(List.of(row("u0", "amazon", 1.0, "web"))), T);
    String tag = "join=\"" + join.name() + "\"";
    assertThat(prometheus()).contains("tessera_join_requests_total{" + tag + "}")
        .contains("tessera_join_rows_bucket{" + tag + ",le=\"1.0\"}")
        .contains("tessera_join_latency_seconds_bucket{" + tag + ",le=\"1.0E-4\"}")
        .contains("tessera_join_redis_latency_seconds_count{" + tag + "}")
        .contains("tessera_join_derivation_errors_total{" + tag + "} 0.0")
        .contains("tessera_fetch_redis_entities_count");
  }

  @Test
  void theOpenApiDocumentDescribesBothForms() {
    String doc = anonymousHttp.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    JsonNode paths = Json.MAPPER.readTree(doc).get("paths").get("/v1/features/join/{name}");
    assertThat(paths.has("post")).isTrue();
    assertThat(paths.has("get")).isTrue();
    assertThat(paths.get("post").get("responses").propertyNames()).contains("200", "400", "404", "503");
  }

  static Map<String, Object> event(String user, String merchant, long ts) {
    Map<String, Object> e = new HashMap<>();
    e.put("user_id", user);
    e.put("merchant", merchant);
    e.put("amount", 3.0);
    e.put("qty", 1L);
    e.put("currency", "USD");
    e.put("ts", ts);
    return e;
  }

  private RestTestClient.ResponseSpec postRaw(String name, String body, String atMillis) {
    return http.post().uri(u -> (atMillis == null ? u : u.queryParam("atMillis", atMillis)).path("/v1/features/join/{n}").build(name))
        .contentType(MediaType.APPLICATION_JSON).body(body).exchange();
  }
}
