package dev.tessera.batch.remote;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health} component {@code worker} of a worker process: UP while its request
 * consumer polls (it polls every 200 ms, busy or not), DOWN when it stopped or has not polled for
 * {@code session-timeout}: such a worker takes no partition, and Kafka may already have handed its
 * requests to the others.
 */
public final class WorkerHealthIndicator implements HealthIndicator {
  private final PartitionRequestConsumer consumer;
  private final RemoteProperties properties;

  public WorkerHealthIndicator(PartitionRequestConsumer consumer, RemoteProperties properties) {
    this.consumer = consumer;
    this.properties = properties;
  }

  @Override
  public Health health() {
    Duration since = consumer.sinceLastPoll();
    boolean up = consumer.isRunning() && since.compareTo(properties.sessionTimeout()) < 0;
    return (up ? Health.up() : Health.down())
        .withDetail("workerId", properties.workerId())
        .withDetail("group", properties.group())
        .withDetail("partitionsInHand", consumer.inFlight())
        .withDetail("lastPollMillisAgo", since.toMillis())
        .build();
  }
}
