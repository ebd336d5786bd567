package dev.tessera.batch.testing;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes GroupBy versions to the registry topic the way the registry service does. */
public final class RegistryPublisher implements AutoCloseable {
  private final KafkaProducer<String, String> producer;

  public RegistryPublisher(String bootstrapServers) {
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.ACKS_CONFIG, "all"));
  }

  public PublishedGroupBy publish(GroupBy g, int version) {
    PublishedGroupBy p = new PublishedGroupBy(g.name(), version, g, Instant.parse("2026-01-01T00:00:00Z"), "test");
    try {
      producer.send(new ProducerRecord<>(PublishedGroupBy.TOPIC, g.name(), p.toJson())).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  public void retire(String name) {
    try {
      producer.send(new ProducerRecord<>(PublishedGroupBy.TOPIC, name, null)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
