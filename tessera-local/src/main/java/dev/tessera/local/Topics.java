package dev.tessera.local;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates a topic before anything is produced to it. Producing to a topic that the broker creates
 * on first use made the idempotent producer fail forever with OUT_OF_ORDER_SEQUENCE_NUMBER on this
 * in-process broker (its first batches raced the partition leaders), so topics are made up front.
 */
public final class Topics {
  private Topics() {}

  /** Creates {@code topic} with {@code partitions} unless it exists, and waits until every partition has a leader. */
  public static void ensure(String bootstrapServers, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) throw e;
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          var description = admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
          if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) return;
        } catch (ExecutionException notYet) {
          // metadata not propagated yet
        }
        if (System.nanoTime() > deadline) throw new IllegalStateException("topic " + topic + " has no leaders after 30 s");
        Thread.sleep(200);
      }
    }
  }
}
