package dev.tessera.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.agg.testkit.Json;
import dev.tessera.fetcher.system.ApiKeyFilter;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.StubRegistry;
import dev.tessera.fetcher.testdata.TestGroupBys;
import dev.tessera.support.RegistryFollower;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The fetcher as deployed, against real services: the Redis server on 127.0.0.1:6379, an
 * in-process KRaft broker holding the registry topic and the feature log, a stand-in registry REST
 * API over HTTP. Every IT extending this shares one application context. Test data lives under
 * GroupBy names no one else uses and is deleted afterwards (never FLUSHALL: the server is shared).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "spring.data.redis.host=127.0.0.1",
    "spring.data.redis.port=6379",
    "tessera.fetcher.registry.topic=" + FetcherIT.REGISTRY_TOPIC,
    "tessera.fetcher.feature-log.topic=" + FetcherIT.FEATURE_LOG_TOPIC,
    "tessera.fetcher.feature-log.sample-rate=1",
    "tessera.fetcher.api-keys=" + FetcherIT.API_KEY,
    "tessera.fetcher.max-keys-per-request=" + FetcherIT.MAX_KEYS})
@EmbeddedKafka(partitions = 1, topics = {FetcherIT.REGISTRY_TOPIC, FetcherIT.FEATURE_LOG_TOPIC})
@AutoConfigureRestTestClient
public abstract class FetcherIT {
  public static final String REGISTRY_TOPIC = "it.tessera.registry";
  public static final String FEATURE_LOG_TOPIC = "it.tessera.feature-log";
  public static final String API_KEY = "it-api-key-0123456789abcdef";
  public static final int MAX_KEYS = 300;
  public static final StubRegistry REGISTRY = new StubRegistry();

  @DynamicPropertySource
  static void registryUrl(DynamicPropertyRegistry registry) {
    registry.add("tessera.fetcher.registry.url", REGISTRY::url);
  }

  protected static RedisTestData redis;

  @Autowired
  protected RestTestClient anonymousHttp;
  @Autowired
  protected RegistryFollower follower;
  @Autowired
  protected EmbeddedKafkaBroker broker;

  /** The fetch API with the API key. */
  protected RestTestClient http;

  @BeforeAll
  static void connectRedis() {
    redis = new RedisTestData("127.0.0.1", 6379);
  }

  @AfterAll
  static void cleanRedis() {
    redis.close();
  }

  @BeforeEach
  void authenticated() {
    http = anonymousHttp.mutate().defaultHeader(ApiKeyFilter.HEADER, API_KEY).build();
  }

  /** Publishes a version on the registry topic and waits until the fetcher's follower has it. */
  protected void publish(CompiledGroupBy g, int version) {
    send(g.name(), TestGroupBys.published(g, version).toJson());
    await().atMost(Duration.ofSeconds(20)).until(() -> follower.get(g.name()).map(l -> l.version() == version).orElse(false));
  }

  /** Publishes a Join version on the registry topic and waits until the fetcher's follower has it. */
  protected void publish(Join join, int version) {
    send(PublishedJoin.topicKey(join.name()), TestGroupBys.published(join, version).toJson());
    await().atMost(Duration.ofSeconds(20)).until(() -> follower.getJoin(join.name()).map(j -> j.version() == version).orElse(false));
  }

  /** Retires a Join (tombstone) and waits until the follower dropped it. */
  protected void retireJoin(String name) {
    send(PublishedJoin.topicKey(name), null);
    await().atMost(Duration.ofSeconds(20)).until(() -> follower.getJoin(name).isEmpty());
  }

  /** Retires a GroupBy (tombstone) and waits until the follower dropped it. */
  protected void retire(String name) {
    send(name, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> follower.get(name).isEmpty());
  }

  private void send(String key, String value) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(REGISTRY_TOPIC, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** POSTs keys (a JSON array text) and returns the 200 body. */
  protected JsonNode post(String groupBy, String keysJson, Long atMillis) {
    return post("/v1/features/groupby/{name}", groupBy, keysJson, atMillis);
  }

  /** POSTs Join request rows (a JSON array text) and returns the 200 body. */
  protected JsonNode postJoin(String join, String rowsJson, Long atMillis) {
    return post("/v1/features/join/{name}", join, rowsJson, atMillis);
  }

  private JsonNode post(String path, String name, String json, Long atMillis) {
    String body = http.post().uri(u -> {
          u.path(path);
          if (atMillis != null) u.queryParam("atMillis", atMillis);
          return u.build(name);
        })
        .contentType(MediaType.APPLICATION_JSON).body(json).exchange()
        .expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
    return Json.MAPPER.readTree(body);
  }

  /** Checks a problem+json answer of {@code status} and {@code type} (the last segment of its type URI), and returns it. */
  protected static JsonNode problem(RestTestClient.ResponseSpec response, HttpStatus status, String type) {
    String body = response.expectStatus().isEqualTo(status.value())
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(String.class).returnResult().getResponseBody();
    JsonNode p = Json.MAPPER.readTree(body);
    assertThat(p.get("type").asString()).isEqualTo("https://tessera.dev/problems/" + type);
    assertThat(p.get("status").asInt()).isEqualTo(status.value());
    return p;
  }

  protected String prometheus() {
    return anonymousHttp.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
  }

  @SuppressWarnings("unchecked")
  protected static Map<String, Object> features(JsonNode result) {
    return (Map<String, Object>) Json.toJava(result.get("features"));
  }
}
