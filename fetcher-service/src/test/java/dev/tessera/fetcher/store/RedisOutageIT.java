package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.testkit.Json;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.StubRegistry;
import dev.tessera.fetcher.testdata.TestGroupBys;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;

/**
 * Redis going away mid-run, on a Redis of this test's own (embedded, a real Redis 6.2 on a free
 * port): a Redis that hangs or is gone gives 503 store-unavailable within the time limit, never a
 * hang; repeated failures open the circuit breaker (still a quick 503); when Redis is back the
 * fetcher serves again by itself. Definitions come from the registry REST API here (topic off).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.data.redis.host=127.0.0.1",
    "tessera.fetcher.registry.follow-topic=false",
    "spring.kafka.bootstrap-servers=127.0.0.1:1",
    "management.health.redis.enabled=false",
    "resilience4j.timelimiter.instances.redis.timeout-duration=250ms",
    "resilience4j.circuitbreaker.instances.redis.wait-duration-in-open-state=1s"})
@AutoConfigureRestTestClient
class RedisOutageIT {
  static final long DAY = 24 * 60 * 60_000L, B = 20_000 * DAY;
  static final int PORT = freePort();
  static final RedisServer REDIS = start();
  static final StubRegistry REGISTRY = new StubRegistry();
  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: %s
      keys: [user_id]
      sources: [{events: {table: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations: [{inputColumn: amount, operation: SUM, windows: [1d]}]
      """.formatted(TestGroupBys.uniqueName("it_outage"))).orThrow();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spring.data.redis.port", () -> PORT);
    r.add("tessera.fetcher.registry.url", REGISTRY::url);
  }

  @Autowired
  RestTestClient http;
  @Autowired
  FeatureStore store;

  @AfterAll
  static void stopAll() throws IOException {
    if (REDIS.isActive()) REDIS.stop();
    REGISTRY.close();
  }

  @Test
  void redisOutageGives503QuicklyAndTheFetcherRecoversByItself() throws Exception {
    REGISTRY.publish(TestGroupBys.published(G, 1));
    try (RedisTestData data = new RedisTestData("127.0.0.1", PORT)) {
      writeData(data);
      await().atMost(Duration.ofSeconds(10)).until(() -> fetch().status == 200);
      assertThat(fetch().sum()).isEqualTo(7.5);

      // Redis hangs (every client paused): the time limit answers for it
      data.redis().clientPause(1500);
      Answer slow = fetch();
      assertThat(slow.status).isEqualTo(503);
      assertThat(slow.problem.get("type").asString()).isEqualTo("https://tessera.dev/problems/store-unavailable");
      assertThat(slow.problem.get("detail").asString()).isEqualTo("Redis did not answer within 250 ms");
      assertThat(slow.millis).as("bounded by the 250 ms time limit, not the 1500 ms pause").isLessThan(1200);
      Thread.sleep(1500);
      assertThat(fetch().status).isEqualTo(200);

      // Redis gone: quick 503s; repeated failures open the breaker, which then answers at once
      REDIS.stop();
      for (int i = 0; i < 12; i++) {
        Answer down = fetch();
        assertThat(down.status).isEqualTo(503);
        assertThat(down.millis).isLessThan(1200);
        assertThat(down.problem.get("type").asString()).isEqualTo("https://tessera.dev/problems/store-unavailable");
      }
      assertThat(store.breakerState()).isIn(CircuitBreaker.State.OPEN,
          CircuitBreaker.State.HALF_OPEN);
      Answer open = fetch();
      assertThat(open.status).isEqualTo(503);
      assertThat(open.retryAfter).isEqualTo("1");

      // Redis back (empty: it keeps nothing): the fetcher reconnects and the breaker closes on its own
      REDIS.start();
      writeData(data);
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> fetch().status == 200);
      assertThat(fetch().sum()).isEqualTo(7.5);
      // the half-open breaker closes after its probe calls succeed
      await().atMost(Duration.ofSeconds(10)).until(() -> fetch().status == 200 && store.breakerState() == CircuitBreaker.State.CLOSED);
    }
  }

  private static void writeData(RedisTestData data) {
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(G, List.of(
        Map.of("user_id", "u", "amount", 5.0, "ts", B - 60_000), Map.of("user_id", "u", "amount", 2.5, "ts", B + 60_000)));
    data.setUploadMarker(G.name(), 1, B);
    data.write(G.name(), 1, List.of("u"), EncodedEntity.of(G, rows.get(List.of("u")), B, B + DAY));
  }

  record Answer(int status, long millis, JsonNode body, JsonNode problem, String retryAfter) {
    double sum() {
      return body.get("results").get(0).get("features").get("amount_sum_1d").asDouble();
    }
  }

  private Answer fetch() {
    long started = System.nanoTime();
    var result = http.post().uri("/v1/features/groupby/{n}?atMillis={t}", G.name(), B + 3_600_000)
        .contentType(MediaType.APPLICATION_JSON).body("[{\"user_id\": \"u\"}]").exchange()
        .expectBody(String.class).returnResult();
    long millis = (System.nanoTime() - started) / 1_000_000;
    JsonNode body = Json.MAPPER.readTree(result.getResponseBody());
    int status = result.getStatus().value();
    return new Answer(status, millis, body, status == 200 ? null : body, result.getResponseHeaders().getFirst("Retry-After"));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RedisServer start() {
    try {
      RedisServer r = RedisServer.newRedisServer().port(PORT).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
      r.start();
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
