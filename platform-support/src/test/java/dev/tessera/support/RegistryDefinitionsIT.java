package dev.tessera.support;

import static dev.tessera.support.TestDefinitions.join;
import static dev.tessera.support.TestDefinitions.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Definitions from the registry topic (a real in-process KRaft broker) with the REST API (real HTTP) for what the topic has not shown. */
class RegistryDefinitionsIT {
  static EmbeddedKafkaKraftBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.afterPropertiesSet();
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  @Test
  void theTopicIsTheSourceTheRestApiFillsInAndARetiredDefinitionIsUnknown() throws Exception {
    String topic = "definitions-it";
    RegistryFollowerIT.createCompacted(broker, topic, 1);
    try (StubRegistry registry = new StubRegistry(); var producer = RegistryFollowerIT.producer(broker)) {
      producer.send(new ProducerRecord<>(topic, "users", published("users", 2, "2h").toJson())).get();
      producer.send(new ProducerRecord<>(topic, PublishedJoin.topicKey("model"), join("model", 1, null).toJson())).get();
      registry.publishVersion(published("users", 1, "1h"));

      RegistryFollower follower = new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), topic);
      try (Definitions definitions = Definitions.registry(follower,
          RegistryApi.of(registry.url(), Duration.ofSeconds(2)).withCache(Duration.ofMinutes(1), Duration.ofMinutes(1), () -> java.time.Instant.EPOCH))) {
        List<String> changes = new CopyOnWriteArrayList<>();
        definitions.addListener(new Definitions.Listener() {
          @Override
          public void groupByChanged(String name, LiveGroupBy live) {
            changes.add(name + ":" + (live == null ? "retired" : live.version()));
          }

          @Override
          public void joinChanged(String name, PublishedJoin j) {
            changes.add("join " + name + ":" + (j == null ? "retired" : j.version()));
          }
        });
        definitions.start();
        assertThat(definitions.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(definitions.isCaughtUp()).isTrue();
        assertThat(definitions.description()).isEqualTo("registry topic " + topic);

        int asked = registry.requests.size();
        LiveGroupBy users = definitions.live("users").orElseThrow();
        assertThat(users.version()).isEqualTo(2);
        assertThat(definitions.version("users", 2).orElseThrow()).as("the live version is the topic's, compiled once").isSameAs(users);
        JoinResolution model = definitions.resolve(definitions.liveJoin("model").orElseThrow());
        assertThat(model.parts()).containsExactly(users);
        assertThat(definitions.allJoins()).extracting(PublishedJoin::name).containsExactly("model");
        assertThat(registry.requests).as("what the topic has is not asked of the REST API").hasSize(asked);
        assertThat(definitions.version("users", 1).orElseThrow().compiled().features().getFirst().name())
            .as("an older version comes from the REST API").isEqualTo("amount_sum_1h");

        // published a moment ago: on the REST API before the topic has it
        registry.publish(published("fresh", 1, "1h"));
        assertThat(definitions.live("fresh")).isPresent();
        // a registry that cannot be asked, with the topic read to its end: the name does not exist
        registry.failWith = 503;
        assertThat(definitions.live("other")).isEmpty();
        assertThat(definitions.live("users")).isPresent();
        registry.failWith = 0;

        // retiring on the topic drops the REST API's answer too: retired = unknown
        producer.send(new ProducerRecord<>(topic, "fresh", published("fresh", 1, "1h").toJson())).get();
        await(() -> changes.contains("fresh:1"));
        producer.send(new ProducerRecord<>(topic, "fresh", null)).get();
        producer.send(new ProducerRecord<>(topic, PublishedJoin.topicKey("model"), null)).get();
        registry.bodies.clear();
        await(() -> changes.contains("fresh:retired") && changes.contains("join model:retired"));
        assertThat(definitions.live("fresh")).isEmpty();
        assertThat(definitions.liveJoin("model")).isEmpty();
        assertThat(definitions.allJoins()).as("a retired Join is listed no more").isEmpty();
        assertThat(changes).startsWith("users:2", "join model:1");
      }
    }
  }

  @Test
  void aPendingVersionComesFromTheTopicAndIsNeverLiveNorAJoinPart() throws Exception {
    String topic = "definitions-rollout-it";
    RegistryFollowerIT.createCompacted(broker, topic, 1);
    try (var producer = RegistryFollowerIT.producer(broker)) {
      producer.send(new ProducerRecord<>(topic, "users", published("users", 2, "2h").toJson())).get();
      producer.send(new ProducerRecord<>(topic, PublishedJoin.topicKey("model"), join("model", 1, null).toJson())).get();
      producer.send(new ProducerRecord<>(topic, PublishedGroupBy.rolloutKey("users"), published("users", 3, "3h").toJson())).get();

      try (Definitions definitions = Definitions.registry(new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), topic), null)) {
        List<String> changes = new CopyOnWriteArrayList<>();
        definitions.addListener(new Definitions.Listener() {
          @Override
          public void groupByChanged(String name, LiveGroupBy live) {
            changes.add(name + ":" + live.version() + definitions.pending(name).map(p -> " pending " + p.version()).orElse(""));
          }
        });
        definitions.start();
        assertThat(definitions.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(definitions.pending("users").orElseThrow().compiled().features().getFirst().name()).isEqualTo("amount_sum_3h");
        assertThat(definitions.live("users").orElseThrow().version()).isEqualTo(2);
        assertThat(definitions.version("users", 3)).isEmpty();
        assertThat(definitions.all()).extracting(LiveGroupBy::version).containsExactly(2);
        assertThat(definitions.resolve(definitions.liveJoin("model").orElseThrow()).parts()).extracting(LiveGroupBy::version)
            .containsExactly(2);
        assertThat(definitions.pending("Bad-Name")).isEmpty();
        assertThat(changes).containsExactly("users:2", "users:2 pending 3");

        producer.send(new ProducerRecord<>(topic, "users", published("users", 3, "3h").toJson())).get();
        producer.send(new ProducerRecord<>(topic, PublishedGroupBy.rolloutKey("users"), null)).get();
        // going live ends the rollout at once: the tombstone that follows changes nothing more
        await(() -> changes.contains("users:3"));
        assertThat(definitions.pending("users")).isEmpty();
        producer.send(new ProducerRecord<>(topic, "users", published("users", 3, "3h").toJson())).get();
        await(() -> changes.size() == 4);
        assertThat(changes).containsExactly("users:2", "users:2 pending 3", "users:3", "users:3");
        assertThat(definitions.live("users").orElseThrow().version()).isEqualTo(3);
      }
    }
  }

  @Test
  void beforeTheTopicHasBeenReadAnUnansweredLookupIsUnavailableNotUnknown() {
    try (StubRegistry registry = new StubRegistry()) {
      registry.failWith = 500;
      // never started: the topic is not read, so nobody can tell what exists
      RegistryFollower follower = new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), "definitions-never-read");
      try (Definitions definitions = Definitions.registry(follower, RegistryApi.of(registry.url(), Duration.ofSeconds(2)))) {
        assertThat(definitions.isCaughtUp()).isFalse();
        assertThatThrownBy(() -> definitions.live("users")).isInstanceOf(DefinitionsUnavailableException.class)
            .hasMessageContaining("the registry topic is still being read");
      }
    }
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
