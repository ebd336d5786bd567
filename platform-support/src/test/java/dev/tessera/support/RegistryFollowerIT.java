package dev.tessera.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Against a real (in-process KRaft) broker: a follower started late still learns every live definition. */
class RegistryFollowerIT {
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

  /** A compacted topic like the registry's. */
  static void createCompacted(EmbeddedKafkaKraftBroker broker, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getBrokersAsString()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
    }
  }

  static KafkaProducer<String, String> producer(EmbeddedKafkaKraftBroker broker) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
        new StringSerializer());
  }

  static GroupBy groupBy(String name, String window) {
    return GroupBy.builder(name).keys("user_id")
        .source(EventSource.builder().table("purchases").column("user_id", "STRING").column("amount", "DOUBLE")
            .column("ts", "LONG").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, window).build();
  }

  @Test
  void aLateFollowerKnowsEveryLiveDefinitionAndSeesRetirementsAndSkipsBadRecords() throws Exception {
    String topic = "registry-it";
    createCompacted(broker, topic, 2);
    try (var producer = producer(broker)) {
      producer.send(new ProducerRecord<>(topic, "a", new PublishedGroupBy("a", 1, groupBy("a", "1h"), Instant.now(), "t").toJson()));
      producer.send(new ProducerRecord<>(topic, "a", new PublishedGroupBy("a", 2, groupBy("a", "2h"), Instant.now(), "t").toJson()));
      producer.send(new ProducerRecord<>(topic, "b", new PublishedGroupBy("b", 1, groupBy("b", "1h"), Instant.now(), "t").toJson()));
      producer.send(new ProducerRecord<>(topic, "junk", "{not json"));
      producer.flush();

      try (RegistryFollower follower = new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), topic)) {
        List<String> changes = new CopyOnWriteArrayList<>();
        follower.addListener((name, live) -> changes.add(name + ":" + (live == null ? "retired" : live.version())));
        follower.start();
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(follower.get("a")).get().extracting(LiveGroupBy::version).isEqualTo(2);
        assertThat(follower.get("a").get().compiled().features().getFirst().name()).isEqualTo("amount_sum_2h");
        assertThat(follower.all()).containsOnlyKeys("a", "b");
        assertThat(follower.badRecords()).isEqualTo(1);

        producer.send(new ProducerRecord<>(topic, "b", null)).get();
        long deadline = System.currentTimeMillis() + 20_000;
        while (follower.get("b").isPresent() && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertThat(follower.get("b")).isEmpty();
        assertThat(changes).contains("b:retired");
      }
    }
  }

  static Join join(String name, String prefix) {
    return Join.builder(name).online(true)
        .left(new LeftSource("checkouts", "ts", Map.of("buyer", DataType.Primitive.STRING, "ts", DataType.Primitive.LONG)))
        .part("a", Map.of("buyer", "user_id"), prefix).build();
  }

  static void send(KafkaProducer<String, String> producer, String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  @Test
  void joinsAreKeptApartFromGroupBysAndOnlyByAFollowerThatAsksForThem() throws Exception {
    String topic = "registry-joins-it";
    createCompacted(broker, topic, 1);
    try (var producer = producer(broker)) {
      send(producer, topic, "a", new PublishedGroupBy("a", 1, groupBy("a", "1h"), Instant.now(), "t").toJson());
      // a Join may share its name with a GroupBy: the key prefix keeps the namespaces apart
      send(producer, topic, PublishedJoin.topicKey("a"), new PublishedJoin("a", 1, join("a", "p1"), Instant.now(), "t").toJson());
      send(producer, topic, PublishedJoin.topicKey("m"), new PublishedJoin("m", 1, join("m", "p1"), Instant.now(), "t").toJson());
      send(producer, topic, PublishedJoin.topicKey("m"), new PublishedJoin("m", 2, join("m", "p2"), Instant.now(), "t").toJson());
      send(producer, topic, PublishedJoin.topicKey("gone"), new PublishedJoin("gone", 1, join("gone", null), Instant.now(), "t").toJson());
      send(producer, topic, PublishedJoin.topicKey("gone"), null);
      send(producer, topic, PublishedJoin.topicKey("junk"), "{not json");

      try (RegistryFollower groupBysOnly = new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), topic);
          RegistryFollower withJoins = new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), topic).followJoins()) {
        List<String> groupByChanges = new CopyOnWriteArrayList<>();
        List<String> joinChanges = new CopyOnWriteArrayList<>();
        withJoins.addListener((name, live) -> groupByChanges.add(name));
        withJoins.addJoinListener((name, j) -> joinChanges.add(name + ":" + (j == null ? "retired" : j.version())));
        groupBysOnly.start();
        withJoins.start();
        assertThat(groupBysOnly.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(withJoins.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

        assertThat(groupBysOnly.all()).containsOnlyKeys("a");
        assertThat(groupBysOnly.allJoins()).isEmpty();
        assertThat(groupBysOnly.badRecords()).as("Join records are not a GroupBy follower's bad records").isZero();

        assertThat(withJoins.all()).containsOnlyKeys("a");
        assertThat(withJoins.allJoins()).containsOnlyKeys("a", "m");
        assertThat(withJoins.getJoin("m")).get().extracting(PublishedJoin::version).isEqualTo(2);
        assertThat(withJoins.getJoin("m").get().definition().parts().getFirst().prefix()).isEqualTo("p2");
        assertThat(withJoins.getJoin("gone")).isEmpty();
        assertThat(withJoins.badRecords()).isEqualTo(1);
        assertThat(groupByChanges).containsExactly("a");
        assertThat(joinChanges).containsExactly("a:1", "m:1", "m:2", "gone:1", "gone:retired");

        send(producer, topic, PublishedJoin.topicKey("m"), null);
        long deadline = System.currentTimeMillis() + 20_000;
        while (withJoins.getJoin("m").isPresent() && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertThat(withJoins.getJoin("m")).isEmpty();
        assertThat(joinChanges).contains("m:retired");
        send(producer, topic, PublishedJoin.topicKey("a"), null);
        deadline = System.currentTimeMillis() + 20_000;
        while (withJoins.getJoin("a").isPresent() && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertThat(withJoins.getJoin("a")).isEmpty();
        assertThat(withJoins.get("a")).as("retiring Join 'a' leaves GroupBy 'a' live").isPresent();
      }
    }
  }

  @Test
  void aPendingVersionIsKeptBesideTheLiveOneAndNeverServedAsLive() throws Exception {
    String topic = "registry-rollout-it";
    createCompacted(broker, topic, 2);
    try (var producer = producer(broker)) {
      send(producer, topic, "a", json("a", 1, "1h"));
      send(producer, topic, PublishedGroupBy.rolloutKey("a"), json("a", 2, "2h"));
      // not above the live version: ignored, not a bad record
      send(producer, topic, "b", json("b", 2, "1h"));
      send(producer, topic, PublishedGroupBy.rolloutKey("b"), json("b", 2, "1h"));
      // another GroupBy than its key says: a bad record
      send(producer, topic, PublishedGroupBy.rolloutKey("c"), json("x", 2, "1h"));

      try (RegistryFollower follower = new RegistryFollower(KafkaClients.plaintext(broker.getBrokersAsString()), topic)) {
        List<String> changes = new CopyOnWriteArrayList<>();
        follower.addListener((name, live) -> changes.add(name + ":" + (live == null ? "none" : live.version())
            + follower.getPending(name).map(p -> " pending " + p.version()).orElse("")));
        follower.start();
        assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(follower.get("a")).get().extracting(LiveGroupBy::version).isEqualTo(1);
        assertThat(follower.getPending("a")).get().extracting(LiveGroupBy::version).isEqualTo(2);
        assertThat(follower.getPending("a").get().compiled().features().getFirst().name()).isEqualTo("amount_sum_2h");
        assertThat(follower.all()).containsOnlyKeys("a", "b");
        assertThat(follower.all().get("a").version()).isEqualTo(1);
        assertThat(follower.getPending("b")).isEmpty();
        assertThat(follower.getPending("c")).isEmpty();
        assertThat(follower.get("c")).isEmpty();
        assertThat(follower.badRecords()).isEqualTo(1);

        // the registry switches version 2 live: the live key gets it, the rollout key a tombstone
        send(producer, topic, "a", json("a", 2, "2h"));
        send(producer, topic, PublishedGroupBy.rolloutKey("a"), null);
        awaitChange(changes, "a:2");
        assertThat(follower.get("a")).get().extracting(LiveGroupBy::version).isEqualTo(2);
        assertThat(follower.getPending("a")).isEmpty();

        // a rollout that is cancelled: its tombstone is heard, with the live version as it is
        send(producer, topic, PublishedGroupBy.rolloutKey("a"), json("a", 3, "3h"));
        awaitChange(changes, "a:2 pending 3");
        send(producer, topic, PublishedGroupBy.rolloutKey("a"), null);
        long deadline = System.currentTimeMillis() + 20_000;
        while (follower.getPending("a").isPresent() && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertThat(follower.getPending("a")).isEmpty();
        assertThat(changes.getLast()).isEqualTo("a:2");
        assertThat(follower.get("a")).get().extracting(LiveGroupBy::version).isEqualTo(2);
        assertThat(follower.badRecords()).isEqualTo(1);
      }
    }
  }

  static String json(String name, int version, String window) {
    return new PublishedGroupBy(name, version, groupBy(name, window), Instant.now(), "t").toJson();
  }

  static void awaitChange(List<String> changes, String change) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!changes.contains(change) && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertThat(changes).contains(change);
  }
}
