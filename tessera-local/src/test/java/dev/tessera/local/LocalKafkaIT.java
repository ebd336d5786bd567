package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The local broker is a real Kafka whose topics survive a restart. */
class LocalKafkaIT {

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void recordsSurviveARestartOfTheBroker() throws Exception {
    Path dir = Path.of("target", "local-kafka-it");
    LocalKafka.deleteQuietly(dir);
    int port = freePort();
    int controller = freePort();
    try (LocalKafka kafka = new LocalKafka(dir, port, controller)) {
      kafka.start();
      try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
          new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("persisted", "k", "v1")).get();
      }
    }
    try (LocalKafka kafka = new LocalKafka(dir, port, controller)) {
      kafka.start();
      try (var consumer = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
        TopicPartition tp = new TopicPartition("persisted", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        var records = consumer.poll(Duration.ofSeconds(20));
        long deadline = System.currentTimeMillis() + 20_000;
        while (records.isEmpty() && System.currentTimeMillis() < deadline) records = consumer.poll(Duration.ofSeconds(1));
        assertThat(records.records(tp)).extracting(r -> r.value()).containsExactly("v1");
      }
    }
  }
}
