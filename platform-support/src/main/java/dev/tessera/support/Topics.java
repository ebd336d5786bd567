package dev.tessera.support;

import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics before anything is produced to them and waits until they can take records.
 * {@code createTopics(...).all()} returns once the controller has the topic, not once every
 * partition leader serves it: an idempotent producer whose first batches race the leaders can fail
 * with OUT_OF_ORDER_SEQUENCE_NUMBER (seen on the in-process broker under load). So a topic counts
 * as ready when every partition has a leader and answers an end-offset lookup.
 */
public final class Topics {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Topics() {}

  /** Creates {@code topic} with {@code partitions} unless it exists, and waits until it is ready. */
  public static void ensure(KafkaClients kafka, String topic, int partitions) {
    try (Admin admin = kafka.admin(Map.of())) {
      ensure(admin, new NewTopic(topic, partitions, (short) 1), DEFAULT_TIMEOUT);
    }
  }

  /** Creates {@code topic} unless it exists, and waits until it is ready. */
  public static void ensure(Admin admin, NewTopic topic, Duration timeout) {
    try {
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic.name(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topic " + topic.name() + " within " + timeout, e);
    }
    awaitReady(admin, topic.name(), timeout);
  }

  /** Waits until every partition of {@code topic} has a leader that answers an end-offset lookup. */
  public static void awaitReady(Admin admin, String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
          d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topic " + topic, e);
      } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
        last = notYet;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no serving leaders after " + timeout
            + (last == null ? "" : " (last error: " + last + ")"));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topic " + topic, e);
      }
    }
  }
}
