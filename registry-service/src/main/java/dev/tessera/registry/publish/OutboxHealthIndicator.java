package dev.tessera.registry.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health} component {@code outbox}: how many committed records wait for Kafka and
 * for how long. DOWN when the oldest has waited longer than {@code stale-after}: the registry then
 * accepts writes that no other service sees, which an operator must know about. Records Kafka
 * refused for good are listed ({@code failed}, {@code failedRecords}) without turning it DOWN: the
 * relay still works, and restarting the registry would not help; an admin retries or drops them.
 */
public final class OutboxHealthIndicator implements HealthIndicator {
  private final OutboxRepository outbox;
  private final OutboxRelay relay;
  private final RegistryTopic topic;
  private final Clock clock;
  private final Duration staleAfter;

  public OutboxHealthIndicator(OutboxRepository outbox, OutboxRelay relay, RegistryTopic topic, Clock clock, Duration staleAfter) {
    this.outbox = outbox;
    this.relay = relay;
    this.topic = topic;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  public Health health() {
    long pending = outbox.pendingCount();
    Optional<Instant> oldest = outbox.oldestPending();
    Duration age = oldest.map(t -> Duration.between(t, clock.instant())).orElse(Duration.ZERO);
    OutboxRelay.Snapshot s = relay.snapshot();
    Health.Builder b = pending > 0 && age.compareTo(staleAfter) > 0 ? Health.down() : Health.up();
    b.withDetail("topic", topic.name()).withDetail("pending", pending).withDetail("relay", s.state().name());
    if (pending > 0) b.withDetail("oldestPendingSeconds", age.toSeconds());
    if (s.lastSentAt() != null) b.withDetail("lastSentAt", s.lastSentAt().toString());
    if (s.lastError() != null) {
      b.withDetail("lastError", s.lastError()).withDetail("lastErrorAt", String.valueOf(s.lastErrorAt()));
      if (s.nextRetryIn() != null) b.withDetail("nextRetryInMillis", s.nextRetryIn().toMillis());
    }
    long failed = outbox.failedCount();
    if (failed > 0) {
      b.withDetail("failed", failed).withDetail("failedRecords", outbox.failed(10).stream()
          .map(r -> Map.of("id", r.id(), "key", r.key(), "error", String.valueOf(r.lastError()))).toList());
    }
    if (topic.warning() != null) b.withDetail("warning", topic.warning());
    return b.build();
  }
}
