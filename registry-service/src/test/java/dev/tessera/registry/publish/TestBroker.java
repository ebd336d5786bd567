package dev.tessera.registry.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One in-process KRaft broker for the topic ITs of a test JVM (started on first use, stopped when
 * the JVM ends), the registry's settings for a test on a topic of its own, and a reader of a whole
 * topic.
 */
final class TestBroker {
  private static EmbeddedKafkaKraftBroker broker;

  private TestBroker() {}

  static synchronized String bootstrapServers() {
    if (broker == null) {
      EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 1);
      b.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(b::destroy, "test-broker-stop"));
      broker = b;
    }
    return broker.getBrokersAsString();
  }

  /** The registry publishes to {@code topic} on this broker and waits for the acknowledgement before it answers. */
  static void registryOn(DynamicPropertyRegistry registry, String topic) {
    registry.add("spring.kafka.bootstrap-servers", TestBroker::bootstrapServers);
    registry.add("tessera.registry.topic", () -> topic);
    registry.add("tessera.registry.publication.publish-wait", () -> "20s");
    registry.add("tessera.registry.publication.send-timeout", () -> "10s");
  }

  /** Every record of the topic, from the beginning to its current end, as a service that starts reads them. */
  static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }
}
