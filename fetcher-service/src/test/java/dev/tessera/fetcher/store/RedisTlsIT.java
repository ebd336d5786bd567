package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
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
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The fetcher on a Redis that speaks TLS only ({@code redis-server --port 0 --tls-port}, a certificate
 * for 127.0.0.1 signed by a CA this test makes with openssl), trusting that CA through a Spring Boot
 * SSL bundle ({@code spring.data.redis.ssl.bundle}): fetches are served, equal to the oracle, and
 * {@code /actuator/health} (whose {@code redis} part PINGs over the same pools) is UP.
 */
class RedisTlsIT extends FetcherIT {
  static final Path DIR = Path.of("target", "redis-tls-" + ProcessHandle.current().pid()).toAbsolutePath();
  static final int PORT = ThreadLocalRandom.current().nextInt(31_000, 32_000);
  static Process server;

  @DynamicPropertySource
  static void tls(DynamicPropertyRegistry registry) {
    startTlsRedis();
    registry.add("spring.data.redis.port", () -> PORT);
    registry.add("spring.ssl.bundle.pem.redis.truststore.certificate", () -> "file:" + DIR.resolve("ca.crt"));
    registry.add("spring.data.redis.ssl.bundle", () -> "redis");
  }

  static synchronized void startTlsRedis() {
    if (server != null) return;
    try {
      Files.createDirectories(DIR);
      openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=tessera-test-ca", "-keyout", "ca.key", "-out", "ca.crt");
      openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "redis.key", "-out", "redis.csr");
      Files.writeString(DIR.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
      openssl("x509", "-req", "-in", "redis.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext",
          "-out", "redis.crt");
      server = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", Integer.toString(PORT), "--bind", "127.0.0.1", "--tls-cert-file",
          "redis.crt", "--tls-key-file", "redis.key", "--tls-ca-cert-file", "ca.crt", "--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
          .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(DIR.resolve("redis.log").toFile()).start();
      Thread.sleep(500);
      assertThat(server.isAlive()).as("redis-server with TLS: %s", DIR.resolve("redis.log")).isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl %s: %s", List.of(args), out).isTrue();
  }

  @BeforeAll
  static void writeOverTls() {
    startTlsRedis();
    redis.close();
    RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(PORT).withSsl(true).withVerifyPeer(SslVerifyMode.NONE).build();
    redis = new RedisTestData(uri);
  }

  @AfterAll
  static void stopTlsRedis() {
    // before FetcherIT cleans up: its helper goes back to the Redis on 6379 (it wrote nothing there)
    redis.close();
    redis = new RedisTestData("127.0.0.1", 6379);
    if (server != null) server.destroyForcibly();
  }

  @Test
  void fetchesAndTheHealthCheckUseTheSslBundle() {
    CompiledGroupBy g = GroupByCompiler.compile("""
        name: %s
        keys: [user_id]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: %s, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: COUNT, windows: [1d]}]
        """.formatted(TestGroupBys.uniqueName("it_tls"), EventGenerator.SCHEMA_YAML)).orThrow();
    publish(g, 1);
    long day = 24 * 60 * 60_000L, b = 1_764_000_000_000L - 1_764_000_000_000L % day;
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, new EventGenerator(3).purchases(5, 200, b - 2 * day, b + day));
    redis.setUploadMarker(g.name(), 1, b);
    rows.forEach((key, r) -> redis.write(g.name(), 1, key, EncodedEntity.of(g, r, b, b + day)));
    List<Object> key = rows.keySet().iterator().next();
    long t = b + day - 1;
    JsonNode r = post(g.name(), Json.MAPPER.writeValueAsString(List.of(Map.of("user_id", key.getFirst()))), t).get("results").get(0);
    assertThat(r.get("status").asString()).isEqualTo("Success");
    assertThat(FeatureComparison.mismatches(new NaiveAggregator(g).valuesAt(rows.get(key), t), features(r), Map.of())).isEmpty();

    // the redis contributor (StoreHealthIndicator, on the fetches' pools) is part of the overall status
    var health = anonymousHttp.get().uri("/actuator/health").exchange().returnResult(String.class);
    assertThat(health.getStatus().value()).as(health.getResponseBody()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(health.getResponseBody()).get("status").asString()).isEqualTo("UP");
  }
}
