package dev.tessera.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.registry.PublishedGroupBy;
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

  static GroupBy groupBy(String name, String window) {
    return GroupBy.builder(name).keys("user_id")
        .source(EventSource.builder().table("purchases").column("user_id", "STRING").column("amount", "DOUBLE")
            .column("ts", "LONG").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, window).build();
  }

  @Test
  void aLateFollowerKnowsEveryLiveDefinitionAndSeesRetirementsAndSkipsBadRecords() throws Exception {
    String topic = "registry-it";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getBrokersAsString()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
    }
    try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
        new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "a", new PublishedGroupBy("a", 1, groupBy("a", "1h"), Instant.now(), "t").toJson()));
      producer.send(new ProducerRecord<>(topic, "a", new PublishedGroupBy("a", 2, groupBy("a", "2h"), Instant.now(), "t").toJson()));
      producer.send(new ProducerRecord<>(topic, "b", new PublishedGroupBy("b", 1, groupBy("b", "1h"), Instant.now(), "t").toJson()));
      producer.send(new ProducerRecord<>(topic, "junk", "{not json"));
      producer.flush();

      try (RegistryFollower follower = new RegistryFollower(broker.getBrokersAsString(), topic)) {
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
}
