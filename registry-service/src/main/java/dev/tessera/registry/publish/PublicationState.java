package dev.tessera.registry.publish;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether what a write committed has reached the registry topic yet. A write answers after its
 * database commit; this tells the caller whether the followers can already see it, so that a
 * Kafka outage is visible instead of silent.
 *
 * @param pendingRecords every record still waiting in the outbox (this write's and others')
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicationState(Status status, long pendingRecords, String message) {
  public enum Status {
    /** Acknowledged by the broker (acks=all). */
    SENT,
    /** Committed and queued in the outbox; the relay keeps retrying until Kafka takes it. */
    PENDING,
    /**
     * Kafka refused the record for good (too large for the broker, say): the version is committed
     * but no service sees it until an admin retries or drops the record (README "Publication").
     */
    FAILED,
    /** The write changed nothing, so nothing was to be published. */
    NOTHING_TO_PUBLISH
  }

  public static final PublicationState NOTHING = new PublicationState(Status.NOTHING_TO_PUBLISH, 0, null);
}
