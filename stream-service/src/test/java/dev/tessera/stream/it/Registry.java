package dev.tessera.stream.it;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.support.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes GroupBy versions the way registry-service does: the compacted registry topic. */
public final class Registry {
  private Registry() {}

  public static void createTopic(String bootstrap) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Topics.ensure(admin, new NewTopic(PublishedGroupBy.TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
          Duration.ofSeconds(60));
    }
  }

  public static void publish(String bootstrap, GroupBy g, int version) {
    send(bootstrap, g.name(), new PublishedGroupBy(g.name(), version, g, Instant.now(), "it").toJson());
  }

  /** Announces {@code version} as the GroupBy's pending version (being rolled out), as the registry does. */
  public static void publishPending(String bootstrap, GroupBy g, int version) {
    send(bootstrap, PublishedGroupBy.rolloutKey(g.name()), new PublishedGroupBy(g.name(), version, g, Instant.now(), "it").toJson());
  }

  /** Switches {@code version} live the way the registry ends a rollout: the live key gets it, the rollout key a tombstone. */
  public static void goLive(String bootstrap, GroupBy g, int version) {
    publish(bootstrap, g, version);
    send(bootstrap, PublishedGroupBy.rolloutKey(g.name()), null);
  }

  public static void retire(String bootstrap, String name) {
    send(bootstrap, name, null);
  }

  private static void send(String bootstrap, String key, String value) {
    try (var p = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>(PublishedGroupBy.TOPIC, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
