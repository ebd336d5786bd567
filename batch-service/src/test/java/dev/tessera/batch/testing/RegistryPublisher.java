package dev.tessera.batch.testing;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes GroupBy and Join versions to the registry topic the way the registry service does. */
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
    return send(g.name(), new PublishedGroupBy(g.name(), version, g, Instant.parse("2026-01-01T00:00:00Z"), "test"));
  }

  private PublishedGroupBy send(String key, PublishedGroupBy p) {
    try {
      producer.send(new ProducerRecord<>(PublishedGroupBy.TOPIC, key, p.toJson())).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  /** Publishes a Join version under its topic key ({@code join:<name>}), as the registry does. */
  public PublishedJoin publish(Join j, int version) {
    PublishedJoin p = new PublishedJoin(j.name(), version, j, Instant.parse("2026-01-01T00:00:00Z"), "test");
    try {
      producer.send(new ProducerRecord<>(PublishedGroupBy.TOPIC, PublishedJoin.topicKey(j.name()), p.toJson())).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  /** Publishes {@code version} as the GroupBy's pending version (being rolled out), under its rollout key, as the registry does. */
  public PublishedGroupBy publishPending(GroupBy g, int version) {
    return send(PublishedGroupBy.rolloutKey(g.name()), new PublishedGroupBy(g.name(), version, g, Instant.parse("2026-01-01T00:00:00Z"), "test"));
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
