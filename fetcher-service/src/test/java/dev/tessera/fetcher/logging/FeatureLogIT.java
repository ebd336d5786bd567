package dev.tessera.fetcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.testkit.Json;
import dev.tessera.fetcher.FetcherIT;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Served results arrive on the feature log topic in the documented JSON form, keyed by GroupBy (a Join's rows by {@code join:<name>}). */
class FeatureLogIT extends FetcherIT {

  @Test
  void eachServedResultIsLoggedWithItsRequest() {
    CompiledGroupBy g = GroupByCompiler.compile("""
        name: %s
        keys: [user_id]
        sources: [{events: {table: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: COUNT, windows: [1h]}]
        """.formatted(TestGroupBys.uniqueName("it_log"))).orThrow();
    publish(g, 3);
    String requestId = "log-" + g.name();
    String response = http.post().uri("/v1/features/groupby/{n}?atMillis=3600000", g.name()).header("X-Request-Id", requestId)
        .contentType(MediaType.APPLICATION_JSON).body("[{\"user_id\": \"a\"}, {\"user_id\": \"b\"}]").exchange()
        .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    JsonNode served = Json.MAPPER.readTree(response).get("results");

    List<ConsumerRecord<String, String>> logged = readLog(requestId, 2);
    assertThat(logged).extracting(ConsumerRecord::key).containsOnly(g.name());
    for (int i = 0; i < 2; i++) {
      JsonNode r = Json.MAPPER.readTree(logged.get(i).value());
      assertThat(r.propertyNames()).containsExactly("kind", "groupBy", "version", "keys", "asOf", "features", "meta", "loggedAt", "requestId");
      assertThat(r.get("kind").asString()).isEqualTo("groupby");
      assertThat(r.get("groupBy").asString()).isEqualTo(g.name());
      assertThat(r.get("version").asInt()).isEqualTo(3);
      assertThat(r.get("keys")).isEqualTo(served.get(i).get("entityKeys"));
      assertThat(r.get("asOf").asLong()).isEqualTo(3_600_000L);
      assertThat(r.get("features")).isEqualTo(served.get(i).get("features"));
      assertThat(r.get("meta")).isEqualTo(served.get(i).get("meta"));
      assertThat(Json.toJava(r.get("features"))).isEqualTo(Map.of("amount_count_1h", 0L));
      assertThat(r.get("loggedAt").asLong()).isPositive();
    }
  }

  @Test
  void eachServedJoinRowIsLoggedWithEveryColumnAndItsPartsVersions() {
    CompiledGroupBy g = GroupByCompiler.compile("""
        name: %s
        keys: [user_id]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: COUNT, windows: [1h]}]
        """.formatted(TestGroupBys.uniqueName("it_jlog"))).orThrow();
    publish(g, 2);
    Join join = Join.builder(TestGroupBys.uniqueName("it_jlog")).online(true)
        .left(new LeftSource("checkouts", "ts", new java.util.LinkedHashMap<>(Map.of("buyer", DataType.Primitive.STRING,
            "amount_now", DataType.Primitive.DOUBLE, "ts", DataType.Primitive.LONG))))
        .part(g.name(), Map.of("buyer", "user_id"), "buyer").request("amount_now").derive("first", "buyer_amount_count_1h == 0").build();
    publish(join, 4);
    String requestId = "log-" + join.name();
    String response = http.post().uri("/v1/features/join/{n}?atMillis=3600000", join.name()).header("X-Request-Id", requestId)
        .contentType(MediaType.APPLICATION_JSON).body("[{\"buyer\": \"a\", \"amount_now\": 2.5}]").exchange()
        .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    JsonNode served = Json.MAPPER.readTree(response).get("results").get(0);

    ConsumerRecord<String, String> logged = readLog(requestId, 1).getFirst();
    assertThat(logged.key()).isEqualTo("join:" + join.name());
    JsonNode r = Json.MAPPER.readTree(logged.value());
    assertThat(r.propertyNames()).containsExactly("kind", "join", "version", "keys", "asOf", "status", "features", "meta", "loggedAt",
        "requestId");
    assertThat(r.get("kind").asString()).isEqualTo("join");
    assertThat(r.get("join").asString()).isEqualTo(join.name());
    assertThat(r.get("version").asInt()).isEqualTo(4);
    assertThat(r.get("status").asString()).isEqualTo("Success");
    assertThat(Json.toJava(r.get("keys"))).isEqualTo(Map.of("buyer", "a"));
    assertThat(r.get("asOf").asLong()).isEqualTo(3_600_000L);
    assertThat(r.get("features")).isEqualTo(served.get("features"));
    assertThat(Json.toJava(r.get("features"))).isEqualTo(Map.of("amount_now", 2.5, "buyer_amount_count_1h", 0L, "first", true));
    assertThat(r.get("meta")).isEqualTo(served.get("meta"));
    assertThat(r.get("meta").get("joinVersion").asInt()).isEqualTo(4);
    assertThat(r.get("meta").get("parts").get("buyer").get("groupBy").asString()).isEqualTo(g.name());
    assertThat(r.get("meta").get("parts").get("buyer").get("version").asInt()).isEqualTo(2);
  }

  private List<ConsumerRecord<String, String>> readLog(String requestId, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(FEATURE_LOG_TOPIC, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (found.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value().contains("\"requestId\":\"" + requestId + "\"")) found.add(r);
        }
      }
      assertThat(found).as("feature log records of request %s", requestId).hasSize(expected);
      return found;
    }
  }
}
