package dev.tessera.registry.publish;

import java.time.Instant;
import java.util.Objects;

/** One record waiting to go (or gone) to Kafka; a null payload is a tombstone. */
public record OutboxRecord(long id, String topic, String key, String payload, Instant createdAt, int attempts) {
  public OutboxRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public boolean isTombstone() {
    return payload == null;
  }
}
