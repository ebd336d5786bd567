package dev.tessera.registry.publish;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The outbox table: {@link #append} runs in the publishing transaction, so a version is committed
 * together with the record that announces it, or neither is. The relay reads and marks records.
 */
public final class OutboxRepository {
  private final JdbcClient jdbc;

  public OutboxRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** @return the record's id (ids give the order in which the relay sends) */
  public long append(String topic, String key, String payload, Instant at) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql("INSERT INTO registry_outbox (topic, record_key, payload, created_at) VALUES (?, ?, ?, ?)")
        .params(topic, key, payload, ts(at))
        .update(keys, "id");
    Number id = keys.getKeyAs(Number.class);
    if (id == null) throw new IllegalStateException("the database returned no id for the outbox record");
    return id.longValue();
  }

  /** Records the relay still has to send: not sent, not failed, not dropped. */
  private static final String PENDING = "sent_at IS NULL AND failed_at IS NULL AND dropped_at IS NULL";

  /** The oldest pending records, in the order they must be sent. */
  public List<OutboxRecord> pending(int limit) {
    return jdbc.sql("SELECT id, topic, record_key, payload, created_at, attempts, last_error, failed_at FROM registry_outbox WHERE "
            + PENDING + " ORDER BY id LIMIT ?")
        .param(limit)
        .query(OutboxRepository::record)
        .list();
  }

  public void markSent(Collection<Long> ids, Instant at) {
    if (ids.isEmpty()) return;
    jdbc.sql("UPDATE registry_outbox SET sent_at = :at, attempts = attempts + 1, last_error = NULL WHERE id IN (:ids)")
        .param("at", ts(at)).param("ids", ids).update();
  }

  public void recordFailure(long id, String error) {
    jdbc.sql("UPDATE registry_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?")
        .params(truncate(error, 2000), id).update();
  }

  public long pendingCount() {
    return jdbc.sql("SELECT COUNT(*) FROM registry_outbox WHERE " + PENDING).query(Long.class).single();
  }

  /** How many of these records are still pending (neither sent nor failed nor dropped). */
  public long unsent(Collection<Long> ids) {
    if (ids.isEmpty()) return 0;
    return jdbc.sql("SELECT COUNT(*) FROM registry_outbox WHERE " + PENDING + " AND id IN (:ids)")
        .param("ids", ids).query(Long.class).single();
  }

  public Optional<Instant> oldestPending() {
    return jdbc.sql("SELECT MIN(created_at) FROM registry_outbox WHERE " + PENDING)
        .query((rs, i) -> instant(rs, 1)).optional();
  }

  /** The last error recorded on a pending record, if any. */
  public Optional<String> lastPendingError() {
    return jdbc.sql("SELECT last_error FROM registry_outbox WHERE " + PENDING + " AND last_error IS NOT NULL ORDER BY id LIMIT 1")
        .query(String.class).optional();
  }

  /**
   * Marks a record Kafka refused for good (it is too large, say): the relay goes on with the next
   * ones, and the record waits for an operator to retry or drop it.
   */
  public void markFailed(long id, String error, Instant at) {
    jdbc.sql("UPDATE registry_outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?")
        .params(truncate(error, 2000), ts(at), id).update();
  }

  /** Failed records not dropped, oldest first. */
  public List<OutboxRecord> failed(int limit) {
    return jdbc.sql("""
            SELECT id, topic, record_key, payload, created_at, attempts, last_error, failed_at FROM registry_outbox
            WHERE sent_at IS NULL AND failed_at IS NOT NULL AND dropped_at IS NULL ORDER BY id LIMIT ?""")
        .param(limit)
        .query(OutboxRepository::record)
        .list();
  }

  public long failedCount() {
    return jdbc.sql("SELECT COUNT(*) FROM registry_outbox WHERE sent_at IS NULL AND failed_at IS NOT NULL AND dropped_at IS NULL")
        .query(Long.class).single();
  }

  /** How many of these records failed (and were not dropped). */
  public long failedAmong(Collection<Long> ids) {
    if (ids.isEmpty()) return 0;
    return jdbc.sql("SELECT COUNT(*) FROM registry_outbox WHERE failed_at IS NOT NULL AND dropped_at IS NULL AND id IN (:ids)")
        .param("ids", ids).query(Long.class).single();
  }

  public Optional<OutboxRecord> find(long id) {
    return jdbc.sql("SELECT id, topic, record_key, payload, created_at, attempts, last_error, failed_at FROM registry_outbox WHERE id = ?"
            + " AND sent_at IS NULL AND dropped_at IS NULL")
        .param(id).query(OutboxRepository::record).optional();
  }

  /** Whether a record with the same topic and key, newer than {@code id}, has reached Kafka. */
  public boolean supersededBySent(OutboxRecord r) {
    return jdbc.sql("SELECT COUNT(*) FROM registry_outbox WHERE topic = ? AND record_key = ? AND id > ? AND sent_at IS NOT NULL")
        .params(r.topic(), r.key(), r.id()).query(Long.class).single() > 0;
  }

  /** Puts a failed record back in line, at its old place (its id). */
  public boolean requeue(long id) {
    return jdbc.sql("UPDATE registry_outbox SET failed_at = NULL WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL AND dropped_at IS NULL")
        .param(id).update() == 1;
  }

  /** An operator gives a failed record up: it is never sent, and stops being reported. */
  public boolean drop(long id, Instant at) {
    return jdbc.sql("UPDATE registry_outbox SET dropped_at = ? WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL AND dropped_at IS NULL")
        .params(ts(at), id).update() == 1;
  }

  /**
   * Takes or renews the relay lease: true when {@code owner} holds it until {@code now + ttl}.
   * Only one registry instance sends at a time, so records of one name cannot overtake each other.
   */
  public boolean tryLease(String owner, Instant now, Duration ttl) {
    return jdbc.sql("""
            UPDATE registry_outbox_lease SET owner = ?, expires_at = ?
            WHERE id = 1 AND (owner IS NULL OR owner = ? OR expires_at < ?)""")
        .params(owner, ts(now.plus(ttl)), owner, ts(now)).update() == 1;
  }

  public void releaseLease(String owner) {
    jdbc.sql("UPDATE registry_outbox_lease SET owner = NULL, expires_at = NULL WHERE id = 1 AND owner = ?").param(owner).update();
  }

  private static OutboxRecord record(ResultSet rs, int row) throws SQLException {
    return new OutboxRecord(rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"), rs.getString("payload"),
        instant(rs, "created_at"), rs.getInt("attempts"), rs.getString("last_error"), instant(rs, "failed_at"));
  }

  private static OffsetDateTime ts(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
