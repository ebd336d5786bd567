package dev.tessera.registry.publish;

import java.time.Instant;
import java.util.Objects;

/**
 * One record waiting to go (or gone) to Kafka; a null payload is a tombstone.
 *
 * @param lastError why the last attempt failed, if it did
 * @param failedAt when the relay gave up on it (Kafka refused it for good); null while it is in line
 */
public record OutboxRecord(long id, String topic, String key, String payload, Instant createdAt, int attempts, String lastError,
    Instant failedAt) {
  public OutboxRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public boolean isTombstone() {
    return payload == null;
  }

  /** Bytes of the record as the producer counts them (key and value, UTF-8), without Kafka's framing. */
  public long bytes() {
    return bytes(key, payload);
  }

  /** {@link #bytes()} of a record not yet written. */
  public static long bytes(String key, String payload) {
    return utf8Length(key) + (payload == null ? 0 : utf8Length(payload));
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }
}
