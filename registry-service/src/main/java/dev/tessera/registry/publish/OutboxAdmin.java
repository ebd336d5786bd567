package dev.tessera.registry.publish;

import dev.tessera.registry.system.Problems;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * What an admin does with a record Kafka refused for good: look at it, put it back in line once the
 * cause is fixed (a larger {@code max.message.bytes}, say), or give it up. Shared by the REST API and
 * the admin UI.
 */
public final class OutboxAdmin {
  private static final Logger log = LoggerFactory.getLogger(OutboxAdmin.class);
  static final int LISTED = 200;

  private final OutboxRepository outbox;
  private final OutboxRelay relay;
  private final Clock clock;

  public OutboxAdmin(OutboxRepository outbox, OutboxRelay relay, Clock clock) {
    this.outbox = outbox;
    this.relay = relay;
    this.clock = clock;
  }

  /** A failed record as shown to admins: what it announces and why Kafka refused it (not its payload). */
  public record FailedRecord(long id, String key, boolean tombstone, long bytes, String createdAt, String failedAt, int attempts,
      String error) {
    static FailedRecord of(OutboxRecord r) {
      return new FailedRecord(r.id(), r.key(), r.isTombstone(), r.bytes(), String.valueOf(r.createdAt()), String.valueOf(r.failedAt()),
          r.attempts(), r.lastError());
    }
  }

  /** The oldest failed records (at most {@value #LISTED}). */
  public List<FailedRecord> failed() {
    return outbox.failed(LISTED).stream().map(FailedRecord::of).toList();
  }

  public long failedCount() {
    return outbox.failedCount();
  }

  /**
   * Puts a failed record back at its place in line. Refused once a newer record of the same name
   * has reached Kafka: sending the old one now would put an older definition back on the topic.
   */
  public void retry(long id, String actor) {
    OutboxRecord r = failedRecord(id);
    if (outbox.supersededBySent(r)) {
      throw new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, Problems.type("outbox-record-superseded"),
          "Record superseded", "A newer record of '" + r.key() + "' is already on the topic; sending record " + id
              + " now would put an older definition back. Drop it instead."), null);
    }
    outbox.requeue(id);
    log.info("Registry outbox: {} put record {} (key {}) back in line", actor, id, r.key());
    relay.wakeUp();
  }

  public void drop(long id, String actor) {
    OutboxRecord r = failedRecord(id);
    outbox.drop(id, clock.instant());
    log.warn("Registry outbox: {} dropped failed record {} (key {}); it will never be sent", actor, id, r.key());
  }

  private OutboxRecord failedRecord(long id) {
    return outbox.find(id).filter(r -> r.failedAt() != null).orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
        Problems.of(HttpStatus.NOT_FOUND, Problems.type("outbox-record-not-found"), "No such failed record",
            "No failed outbox record has id " + id + " (it may have been sent, retried or dropped)."), null));
  }
}
