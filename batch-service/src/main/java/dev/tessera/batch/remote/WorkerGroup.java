package dev.tessera.batch.remote;

import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * The workers alive now: the members of the workers' consumer group, by client id (each worker's
 * consumer uses its worker id as client id). Kafka's group membership is the one failure detector:
 * a killed worker stops heartbeating, leaves the group after its session timeout, and that same
 * rebalance hands its uncommitted requests to the others.
 */
public final class WorkerGroup implements AutoCloseable {
  private static final Duration ASK = Duration.ofSeconds(10);

  private final Admin admin;
  private final String group;

  public WorkerGroup(KafkaClients kafka, String group) {
    this.admin = kafka.admin(Map.of());
    this.group = group;
  }

  public String name() {
    return group;
  }

  /** The worker ids of the group's members (empty when the group has none or does not exist yet). */
  public Set<String> live() {
    try {
      ConsumerGroupDescription d = admin.describeConsumerGroups(Set.of(group)).all().get(ASK.toMillis(), TimeUnit.MILLISECONDS).get(group);
      return d == null ? Set.of() : d.members().stream().map(MemberDescription::clientId).collect(Collectors.toUnmodifiableSet());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Kafka for the members of " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot ask Kafka for the members of the worker group " + group + ": " + e, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
