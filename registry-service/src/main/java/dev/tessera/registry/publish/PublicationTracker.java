package dev.tessera.registry.publish;

import java.time.Duration;
import java.util.Collection;

/** Lets a write wait (briefly) for its outbox records to reach Kafka. */
public interface PublicationTracker {
  /** Waits up to {@code timeout} for these records to be sent, then says where they are. */
  PublicationState await(Collection<Long> outboxIds, Duration timeout);
}
