package dev.tessera.stream.it;

import dev.tessera.support.Topics;
import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.testkit.ReferenceVectors;
import dev.tessera.stream.topology.ExpectedTiles;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The service end to end, through its REST API: GroupBys published on the registry topic, jobs
 * started and stopped over HTTP, events on a real (in-process KRaft) broker, tiles in the real
 * Redis, and the reference vectors checked on what the service wrote.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "tessera.stream.state-dir=target/service-it-state",
    "tessera.stream.flush-interval=100ms",
    "tessera.stream.reconcile-interval=500ms",
    "tessera.stream.lag-interval=300ms",
    // The reference vectors span 45 days: keep all their tiles.
    "tessera.stream.tile-retention=P60D",
    "tessera.stream.max-tile-retention=P90D",
    "tessera.stream.streams-properties.consumer.session.timeout.ms=6000"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
    brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
        "log.retention.ms=-1"}) // the vectors' events carry 2024 times: time retention would delete them
class StreamServiceIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final List<String> cleanup = new ArrayList<>();
  static RedisProbe redis;

  @LocalServerPort
  int port;
  @Value("${spring.kafka.bootstrap-servers}")
  String bootstrap;
  Http http;

  @org.springframework.test.context.DynamicPropertySource
  static void credentials(org.springframework.test.context.DynamicPropertyRegistry registry) {
    registry.add("tessera.security.registry-url", CredentialRegistry::url);
  }

  @org.springframework.beans.factory.annotation.Autowired
  @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
  org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mapping;

  @BeforeAll
  static void redis() {
    redis = new RedisProbe();
  }

  @AfterAll
  static void cleanUp() {
    cleanup.forEach(redis::deleteKeys);
    redis.close();
  }

  @BeforeEach
  void setUp() {
    http = new Http(port);
    Registry.createTopic(bootstrap);
  }

  /** Stops what a test started: at JVM exit the broker may go before the service does. */
  @org.junit.jupiter.api.AfterEach
  void stopJobs() {
    for (JsonNode j : http.get("/api/v1/streaming-jobs").json().get("jobs")) {
      if (!j.get("state").asString().equals("STOPPED")) http.delete("/api/v1/streaming-jobs/" + j.get("groupBy").asString());
    }
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  void topic(String name) {
    Topics.ensure(KafkaClients.plaintext(bootstrap), name, 1);
  }

  void produce(String topic, List<Map.Entry<String, String>> records) {
    try (var p = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
      records.forEach(r -> p.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
      p.flush();
    }
  }

  /** POSTs until the service has read the published definition (the registry topic is followed asynchronously). */
  Http.Response create(String groupBy) {
    Http.Response[] last = new Http.Response[1];
    eventually(WAIT, () -> {
      last[0] = http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"" + groupBy + "\", \"mode\": \"create\"}");
      return last[0].status() != 404 && last[0].status() != 503;
    });
    return last[0];
  }

  JsonNode job(String groupBy) {
    return http.get("/api/v1/streaming-jobs/" + groupBy).json();
  }

  Map<String, Map<String, byte[]>> hashes(String pattern) {
    return redis.hashes(pattern);
  }

  @Test
  void aJobStartedOverHttpTilesTheReferenceVectorsIntoRedisAndReportsItsProgress() {
    ReferenceVectors v = ReferenceVectors.load("cel_where_select.json");
    String name = unique("svc_vectors");
    GroupBy g = Fixtures.renamed(v.groupBy().definition(), name, name + ".events");
    LiveGroupBy live = Fixtures.live(g, 1);
    cleanup.add(RedisKeys.versionPattern(name, 1));
    topic(name + ".events");
    Registry.publish(bootstrap, g, 1);

    Http.Response created = create(name);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().get("groupBy").asString()).isEqualTo(name);
    assertThat(created.json().get("version").asInt()).isEqualTo(1);
    assertThat(created.json().get("applicationId").asString()).isEqualTo("tessera-stream-" + name + "-v1");
    assertThat(created.json().get("deadLetterTopic").asString()).isEqualTo("tessera.deadletter." + name);

    Http.Response again = http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"" + name + "\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/streaming-job-running");

    produce(name + ".events", Fixtures.records(v.events()));
    var expected = ExpectedTiles.of(live.compiled(), 1, v.events());
    boolean done = eventually(WAIT, () -> ExpectedTiles.same(hashes(RedisKeys.versionPattern(name, 1)), expected));
    var actual = hashes(RedisKeys.versionPattern(name, 1));
    ExpectedTiles.assertSame(actual, expected);
    assertThat(done).isTrue();
    int[] compared = {0};
    assertThat(ExpectedTiles.vectorMismatches(v, live.compiled(), 1, actual, compared)).isEmpty();
    assertThat(compared[0]).isGreaterThan(v.queries().size() / 2);
    // the hour rollups in Redis, read as a fetcher's TileSelection reads them, give the same values
    compared[0] = 0;
    assertThat(ExpectedTiles.vectorMismatches(v, live.compiled(), 1, actual, redis.rollups(RedisKeys.versionPattern(name, 1)), compared))
        .isEmpty();
    assertThat(compared[0]).isGreaterThan(v.queries().size() / 2);

    long usd = v.events().stream().filter(e -> "USD".equals(e.get("currency"))).count();
    assertThat(eventually(WAIT, () -> {
      JsonNode j = job(name);
      return j.path("lag").path("total").asLong(-1) == 0 && j.path("events").path("applied").asLong() == usd;
    })).as("lag 0 and every USD event applied: %s", job(name)).isTrue();
    JsonNode j = job(name);
    assertThat(j.get("state").asString()).isEqualTo("RUNNING");
    assertThat(j.get("events").get("in").asLong()).isEqualTo(v.events().size());
    assertThat(j.get("events").get("filtered").asLong()).isEqualTo(v.events().size() - usd);
    assertThat(j.get("events").get("deadLettered").get("malformed").asLong()).isZero();
    assertThat(j.get("tiles").get("written").asLong()).isGreaterThanOrEqualTo(expected.values().stream().mapToLong(Map::size).sum());
    long newest = v.events().stream().filter(e -> "USD".equals(e.get("currency"))).mapToLong(e -> (Long) e.get("ts")).max().orElseThrow();
    assertThat(Instant.parse(j.get("newestEventTime").asString()).toEpochMilli()).isEqualTo(newest);
    assertThat(j.get("freshnessSeconds").asDouble()).isGreaterThan(0);
    assertThat(j.get("lag").get("partitions").get(0).get("topic").asString()).isEqualTo(name + ".events");
    assertThat(j.get("tasks").size()).isEqualTo(2);

    String prometheus = http.get("/actuator/prometheus").text();
    assertThat(prometheus).contains("tessera_stream_events_applied_total{groupBy=\"" + name + "\",version=\"1\"} " + usd + ".0");
    assertThat(prometheus).contains("tessera_stream_freshness_seconds{groupBy=\"" + name + "\"");
    assertThat(prometheus).contains("tessera_stream_tiles_write_latency_seconds_count{groupBy=\"" + name + "\"");
    // the Kafka Streams client's own metrics (and its consumer's), tagged with the job
    assertThat(prometheus).containsPattern("kafka_stream_[a-z_]+\\{[^}]*groupBy=\"" + name + "\"");
    assertThat(prometheus).containsPattern("kafka_consumer_[a-z_]+\\{[^}]*groupBy=\"" + name + "\"");

    JsonNode health = http.get("/actuator/health").json();
    assertThat(health.at("/components/streamingJobs/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/streamingJobs/details/jobs/" + name + "/state").asString()).isEqualTo("RUNNING");

    Http.Response list = http.get("/api/v1/streaming-jobs");
    assertThat(list.json().get("jobs").valueStream().map(n -> n.get("groupBy").asString())).contains(name);
  }

  @Test
  void anErrorCarriesTheRequestIdInItsHeaderAndProblem() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/streaming-jobs/no_such_groupby"))
            .header("X-Request-Id", "ticket-4711").GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue("ticket-4711");
    assertThat(Fixtures.JSON.readTree(r.body()).get("requestId").asString()).isEqualTo("ticket-4711");
  }

  @Test
  void badRequestsGetAProblemNamingWhatIsWrong() {
    String offline = unique("svc_offline");
    GroupBy g = Fixtures.purchases(offline, offline + ".events", Duration.ofHours(1));
    Registry.publish(bootstrap, new GroupBy(g.name(), g.team(), g.description(), false, g.keys(), g.sources(), g.aggregations(),
        g.streaming()), 1);

    Http.Response notOnline = create(offline);
    assertThat(notOnline.status()).isEqualTo(400);
    assertThat(notOnline.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/groupby-not-online");

    Http.Response unknown = http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"no_such_groupby\", \"mode\": \"create\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/groupby-not-found");
    assertThat(unknown.json().get("detail").asString()).contains("no_such_groupby");

    Http.Response missing = http.post("/api/v1/streaming-jobs", "{\"mode\": \"create\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/invalid-request");
    assertThat(missing.json().get("field").asString()).isEqualTo("groupBy");

    Http.Response mode = http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"x\", \"mode\": \"resume\"}");
    assertThat(mode.status()).isEqualTo(400);
    assertThat(mode.json().get("field").asString()).isEqualTo("mode");

    assertThat(http.post("/api/v1/streaming-jobs", "{\"groupBy\": ").status()).isEqualTo(400);
    assertThat(http.get("/api/v1/streaming-jobs/no_such_groupby").status()).isEqualTo(404);
    Http.Response stopUnknown = http.delete("/api/v1/streaming-jobs/no_such_groupby");
    assertThat(stopUnknown.status()).isEqualTo(404);
    assertThat(stopUnknown.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/streaming-job-not-found");
  }

  /** Version 1 of a purchases GroupBy on {@code topic}, published and its job started (its tiles and version 2's cleaned up after). */
  GroupBy versionOneStarted(String name, String topic) {
    topic(topic);
    cleanup.add(RedisKeys.versionPattern(name, 1));
    cleanup.add(RedisKeys.versionPattern(name, 2));
    GroupBy v1 = Fixtures.purchases(name, topic, Duration.ofHours(1));
    Registry.publish(bootstrap, v1, 1);
    assertThat(create(name).status()).isEqualTo(201);
    return v1;
  }

  /** Another definition on the same source: a new version, a new job. */
  static GroupBy versionTwo(GroupBy v1) {
    return GroupBy.builder(v1.name()).online(true).keys("user_id").source(v1.sources().getFirst())
        .aggregate("amount", Operation.MAX, "1h").build();
  }

  @Test
  void aNewVersionGetsItsOwnJobTheOldStopsOnceItRunsAndRetiringStopsIt() {
    String name = unique("svc_versions");
    String topic = name + ".events";
    GroupBy v1 = versionOneStarted(name, topic);
    assertThat(eventually(WAIT, () -> job(name).get("state").asString().equals("RUNNING"))).isTrue();

    GroupBy v2 = versionTwo(v1);
    Registry.publish(bootstrap, v2, 2);
    assertThat(eventually(WAIT, () -> {
      JsonNode newest = job(name);
      return newest.get("version").asInt() == 2 && newest.get("state").asString().equals("RUNNING") && stateOf(name, 1).equals("STOPPED");
    })).as("%s", http.get("/api/v1/streaming-jobs").text()).isTrue();
    JsonNode old = jobOf(name, 1);
    assertThat(old.get("reason").asString()).isEqualTo("replaced by version 2");
    assertThat(job(name).get("applicationId").asString()).isEqualTo("tessera-stream-" + name + "-v2");

    long ts = Instant.now().toEpochMilli() - 60_000;
    produce(topic, List.of(Map.entry("u1", TileJobIT.event("u1", 3.0, ts))));
    assertThat(eventually(WAIT, () -> !hashes(RedisKeys.versionPattern(name, 2)).isEmpty())).isTrue();
    assertThat(hashes(RedisKeys.versionPattern(name, 1))).isEmpty();

    Registry.retire(bootstrap, name);
    assertThat(eventually(WAIT, () -> job(name).get("state").asString().equals("STOPPED"))).isTrue();
    assertThat(job(name).get("reason").asString()).isEqualTo("the GroupBy was retired");
  }

  @org.springframework.beans.factory.annotation.Autowired
  dev.tessera.support.Definitions definitions;

  String progress(String name, int version, long until) {
    return "/api/v1/streaming-jobs/" + name + "/versions/" + version + "/progress?until=" + until;
  }

  /** Issue 19: a pending version's job runs beside the live one's, reports its catch-up, and replaces it once live. */
  @Test
  void aPendingVersionRunsBesideTheLiveOneReportsItsCatchUpAndReplacesItOnceLive() throws Exception {
    String name = unique("svc_rollout");
    String topic = name + ".events";
    GroupBy v1 = versionOneStarted(name, topic);
    long ts = Instant.now().toEpochMilli() - 60_000;
    produce(topic, List.of(Map.entry("u1", TileJobIT.event("u1", 3.0, ts)), Map.entry("u2", TileJobIT.event("u2", 4.0, ts))));
    long until = System.currentTimeMillis();
    Thread.sleep(50);
    produce(topic, List.of(Map.entry("u3", TileJobIT.event("u3", 5.0, ts + 1000))));

    GroupBy v2 = versionTwo(v1);
    Registry.publishPending(bootstrap, v2, 2);
    assertThat(eventually(WAIT, () -> stateOf(name, 1).equals("RUNNING") && stateOf(name, 2).equals("RUNNING")))
        .as("%s", http.get("/api/v1/streaming-jobs").text()).isTrue();
    assertThat(definitions.live(name).orElseThrow().version()).as("what the fetcher serves").isEqualTo(1);
    assertThat(definitions.pending(name).orElseThrow().version()).isEqualTo(2);

    Http anonymous = new Http(port, null);
    assertThat(eventually(WAIT, () -> anonymous.get(progress(name, 2, until)).json().path("caughtUp").asBoolean()))
        .as("%s", anonymous.get(progress(name, 2, until)).text()).isTrue();
    JsonNode caughtUp = anonymous.get(progress(name, 2, until)).json();
    assertThat(caughtUp.get("name").asString()).isEqualTo(name);
    assertThat(caughtUp.get("version").asInt()).isEqualTo(2);
    assertThat(caughtUp.get("state").asString()).isEqualTo("RUNNING");
    assertThat(caughtUp.get("until").asLong()).isEqualTo(until);
    JsonNode partition = caughtUp.get("partitions").get(0);
    assertThat(partition.get("topic").asString()).isEqualTo(topic);
    assertThat(partition.get("partition").asInt()).isZero();
    assertThat(partition.get("needed").asLong()).as("the first record written at or after until").isEqualTo(2);
    assertThat(partition.get("committed").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(eventually(WAIT, () -> anonymous.get(progress(name, 2, System.currentTimeMillis() + 3_600_000)).json()
        .path("partitions").get(0).path("needed").asLong() == 3)).as("nothing written after until yet: the end offset").isTrue();
    assertThat(eventually(WAIT, () -> !hashes(RedisKeys.versionPattern(name, 1)).isEmpty() && !hashes(RedisKeys.versionPattern(name, 2))
        .isEmpty())).as("both versions write their tiles").isTrue();

    Http.Response unknownVersion = anonymous.get(progress(name, 7, until));
    assertThat(unknownVersion.status()).isEqualTo(404);
    assertThat(unknownVersion.contentType()).startsWith("application/problem+json");
    assertThat(unknownVersion.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/groupby-not-found");
    assertThat(anonymous.get(progress("no_such_groupby", 1, until)).status()).isEqualTo(404);
    Http.Response badUntil = anonymous.get("/api/v1/streaming-jobs/" + name + "/versions/2/progress?until=yesterday");
    assertThat(badUntil.status()).isEqualTo(400);
    assertThat(badUntil.json().get("field").asString()).isEqualTo("until");
    assertThat(stateOf(name, 1)).as("the live version's job keeps running for the whole rollout").isEqualTo("RUNNING");

    Registry.goLive(bootstrap, v2, 2);
    assertThat(eventually(WAIT, () -> stateOf(name, 1).equals("STOPPED") && stateOf(name, 2).equals("RUNNING")))
        .as("%s", http.get("/api/v1/streaming-jobs").text()).isTrue();
    assertThat(jobOf(name, 1).get("reason").asString()).isEqualTo("replaced by version 2");
    assertThat(definitions.live(name).orElseThrow().version()).isEqualTo(2);
    assertThat(definitions.pending(name)).isEmpty();
  }

  @Test
  void deleteStopsTheJob() {
    String name = unique("svc_delete");
    String topic = name + ".events";
    topic(topic);
    Registry.publish(bootstrap, Fixtures.purchases(name, topic, Duration.ofHours(1)), 1);
    assertThat(create(name).status()).isEqualTo(201);
    Http.Response stopped = http.delete("/api/v1/streaming-jobs/" + name);
    assertThat(stopped.status()).isEqualTo(200);
    assertThat(stopped.json().get("state").asString()).isEqualTo("STOPPED");
    assertThat(stopped.json().get("reason").asString()).isEqualTo("stopped through the API");
    assertThat(job(name).get("state").asString()).isEqualTo("STOPPED");
    // Stopped is not running: it can be started again.
    assertThat(create(name).status()).isEqualTo(201);
    assertThat(http.delete("/api/v1/streaming-jobs/" + name).status()).isEqualTo(200);
  }

  @Test
  void aJobWaitsForItsSourceTopicAndStartsWhenItExists() {
    String name = unique("svc_waiting");
    String topic = name + ".events";
    Registry.publish(bootstrap, Fixtures.purchases(name, topic, Duration.ofHours(1)), 1);
    Http.Response created = create(name);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("state").asString()).isEqualTo("WAITING_FOR_TOPICS");
    assertThat(created.json().get("reason").asString()).contains(topic).contains("do not exist yet");
    topic(topic);
    assertThat(eventually(WAIT, () -> job(name).get("state").asString().equals("RUNNING"))).isTrue();
    http.delete("/api/v1/streaming-jobs/" + name);
  }

  String stateOf(String name, int version) {
    JsonNode j = jobOf(name, version);
    return j == null ? "" : j.get("state").asString();
  }

  JsonNode jobOf(String name, int version) {
    for (JsonNode j : http.get("/api/v1/streaming-jobs").json().get("jobs")) {
      if (j.get("groupBy").asString().equals(name) && j.get("version").asInt() == version) return j;
    }
    return null;
  }

  /** Every non-GET mapping as "METHOD path", path variables filled in; a mapping without methods (Boot's /error) takes POST. */
  List<String[]> writes() {
    List<String[]> out = new ArrayList<>();
    mapping.getHandlerMethods().forEach((info, handler) -> {
      var methods = info.getMethodsCondition().getMethods();
      for (var m : methods.isEmpty() ? java.util.Set.of(org.springframework.web.bind.annotation.RequestMethod.POST) : methods) {
        if (m.name().equals("GET") || m.name().equals("HEAD") || m.name().equals("OPTIONS")) continue;
        for (String pattern : info.getPatternValues()) out.add(new String[] {m.name(), pattern.replaceAll("\\{[^}]+}", "no_such_groupby")});
      }
    });
    return out;
  }

  /** Issue 21: streaming job create 201 / delete 200 without credentials. DESIGN.md "Security". */
  @Test
  void everyWriteNeedsAWriterCredentialOfTheRegistry() {
    assertThat(writes()).extracting(w -> w[0] + " " + w[1])
        .contains("POST /api/v1/streaming-jobs", "DELETE /api/v1/streaming-jobs/no_such_groupby");
    Http anonymous = new Http(port, null);
    Http reader = new Http(port, CredentialRegistry.READER_TOKEN);
    int n = 0;
    for (String[] w : writes()) {
      String body = "{\"groupBy\": \"no_such_groupby\", \"mode\": \"create\"}";
      Http.Response none = anonymous.send(w[0], w[1], "application/json", body);
      assertThat(none.status()).as("%s %s", w[0], w[1]).isEqualTo(401);
      assertThat(none.contentType()).startsWith("application/problem+json");
      assertThat(new Http(port, "wrong-token-" + n++).send(w[0], w[1], "application/json", body).status()).isEqualTo(401);
      assertThat(reader.send(w[0], w[1], "application/json", body).status()).isEqualTo(403);
      Http.Response form = http.send(w[0], w[1], "application/x-www-form-urlencoded", "groupBy=x");
      assertThat(form.status()).isEqualTo(415);
      assertThat(form.contentType()).startsWith("application/problem+json");
      assertThat(http.send(w[0], w[1], "application/json", body, "Origin", "https://evil.example").status()).isEqualTo(403);
      assertThat(http.send(w[0], w[1], "application/json", body).status()).as("a writer passes the guard").isNotIn(401, 403, 415, 429);
    }
    assertThat(new Http(port, null).get("/api/v1/streaming-jobs").status()).as("reads stay open").isEqualTo(200);
  }

  @Test
  void springsOwnErrorsAreProblemJson() {
    Http.Response xml = http.send("POST", "/api/v1/streaming-jobs", "application/xml", "<a/>");
    assertThat(xml.status()).isEqualTo(415);
    assertThat(xml.contentType()).startsWith("application/problem+json");
    assertThat(xml.json().get("type").asString()).isEqualTo("https://tessera.dev/problems/unsupported-media-type");
  }
}
