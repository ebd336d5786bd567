package dev.tessera.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The clients made by KafkaClients have their Kafka metrics in Micrometer while they are open, and only then. */
class KafkaClientsIT {

  @Test
  void consumerProducerAndAdminMetricsAreBoundWhileTheClientsAreOpen() throws Exception {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "metered");
    broker.afterPropertiesSet();
    try {
      MeterRegistry meters = new SimpleMeterRegistry();
      Map<String, Object> address = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
      KafkaClients clients = new KafkaClients(address, address, address, address, meters).withTags(Tags.of("service", "test"));

      try (Producer<String, String> producer = clients.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "p1"), new StringSerializer(),
          new StringSerializer());
          Consumer<String, String> consumer = clients.consumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "c1",
              ConsumerConfig.GROUP_ID_CONFIG, "g", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
              new StringDeserializer(), new StringDeserializer());
          Admin admin = clients.admin(Map.of(CommonClientConfigs.CLIENT_ID_CONFIG, "a1"))) {
        producer.send(new ProducerRecord<>("metered", "k", "v")).get();
        consumer.subscribe(List.of("metered"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.poll(Duration.ofMillis(200)).isEmpty()) assertThat(System.nanoTime()).isLessThan(deadline);
        admin.describeCluster().clusterId().get();

        assertThat(meter(meters, "kafka.producer.record.send.total", "p1")).as("producer").isNotEmpty();
        assertThat(meter(meters, "kafka.consumer.fetch.manager.records.consumed.total", "c1")).as("consumer").isNotEmpty();
        assertThat(meters.getMeters()).as("admin").anyMatch(m -> m.getId().getName().startsWith("kafka.admin.client")
            && "a1".equals(m.getId().getTag("client.id")));
        assertThat(meter(meters, "kafka.producer.record.send.total", "p1").getFirst().getId().getTag("service")).isEqualTo("test");
      }
      assertThat(meters.getMeters()).as("closed clients leave no meters").noneMatch(m -> m.getId().getName().startsWith("kafka."));
    } finally {
      broker.destroy();
    }
  }

  private static List<Meter> meter(MeterRegistry meters, String name, String clientId) {
    return meters.find(name).tag("client.id", clientId).meters().stream().toList();
  }
}
