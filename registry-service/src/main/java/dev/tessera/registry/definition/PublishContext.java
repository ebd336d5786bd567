package dev.tessera.registry.definition;

import dev.tessera.registry.publish.OutboxRecord;
import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every kind's writes share: the transaction, the outbox they append to, the registry topic
 * and how long a write waits for its record to reach Kafka, the clock and the counters.
 *
 * @param maxRecordBytes the largest record (key + value) the topic takes; a larger one is refused
 *     before it is committed, since the relay could never send it
 */
public record PublishContext(OutboxRepository outbox, TransactionTemplate tx, PublicationTracker publications,
    RegistryMetrics metrics, Clock clock, String topic, Duration publishWait, long maxRecordBytes) {

  /** Appends the record announcing {@code name} (null payload: a tombstone) inside the caller's transaction. */
  long enqueue(Kind kind, String name, String key, String payload, Instant at) {
    long bytes = OutboxRecord.bytes(key, payload);
    if (bytes > maxRecordBytes) throw new DefinitionTooLargeException(kind, name, bytes, maxRecordBytes);
    return outbox.append(topic, key, payload, at);
  }
}
