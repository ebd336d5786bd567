package dev.tessera.registry.definition;

import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationTracker;
import java.time.Clock;
import java.time.Duration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every kind's writes share: the transaction, the outbox they append to, the registry topic
 * and how long a write waits for its record to reach Kafka, the clock and the counters.
 */
public record PublishContext(OutboxRepository outbox, TransactionTemplate tx, PublicationTracker publications,
    RegistryMetrics metrics, Clock clock, String topic, Duration publishWait) {}
