package dev.tessera.agg.accept;

import dev.tessera.agg.codec.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of the acceptance rule that are about the record rather than its values: how a record's
 * bytes become an event, how far an event time may run ahead of the record's own time, and which
 * record key the stream's {@code partitioning=source} expects. The value rules (types, finite
 * numbers, event time, null keys, expressions) are applied by
 * {@link dev.tessera.agg.compile.CompiledGroupBy#apply}. The stream and every batch read and ingest
 * use these and nothing else, so an event one pipeline refuses the other refuses for the same
 * {@link Refusal} (DESIGN.md "Which events count").
 */
public final class Acceptance {
  /**
   * The maximum lead of an event time over its record's time. A constant, not a setting of each
   * service: a stream and a batch configured apart would refuse different events (issue 20).
   */
  public static final Duration MAX_LEAD = Duration.ofHours(1);

  private static final ObjectReader READER = JsonMapper.builder().build().readerFor(Map.class);

  private Acceptance() {}

  /** A record that is not an event; the message says what it is instead. */
  public static final class Refused extends Exception {
    private final Refusal refusal;

    public Refused(Refusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }

  /**
   * A record's value as an event: a JSON object of plain Java values (String, Integer/Long/
   * BigInteger, Double, Boolean, List, Map). Numbers are checked later, against the schema.
   */
  public static Map<String, Object> parseEvent(byte[] value) throws Refused {
    if (value == null) throw new Refused(Refusal.NOT_AN_OBJECT, "no value (a tombstone or an empty record)");
    int first = firstNonBlank(value);
    if (first < 0) throw new Refused(Refusal.NOT_AN_OBJECT, "empty record: expected a JSON object");
    if (value[first] != '{') {
      throw new Refused(Refusal.NOT_AN_OBJECT, "not a JSON object: the record starts with '" + (char) value[first] + "'");
    }
    try {
      Map<String, Object> event = READER.readValue(value);
      if (event == null) throw new Refused(Refusal.NOT_AN_OBJECT, "not a JSON object");
      return event;
    } catch (JacksonException e) {
      throw new Refused(Refusal.NOT_AN_OBJECT, "bad JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Why an event at {@code eventTime} may not count, given the time its record was written (Kafka's
   * record timestamp: the producer's create time or the broker's append time), or null when it may.
   * A record time of 0 or less is unset: there is nothing to compare with, and the event passes.
   */
  public static String aheadOfRecord(long eventTime, long recordTime) {
    return aheadOfRecord(eventTime, recordTime, MAX_LEAD);
  }

  /** {@link #aheadOfRecord(long, long)} with another bound (tests of the rule itself). */
  static String aheadOfRecord(long eventTime, long recordTime, Duration maxLead) {
    if (recordTime <= 0 || eventTime - maxLead.toMillis() <= recordTime) return null;
    return "event time " + Instant.ofEpochMilli(eventTime) + " is more than " + maxLead + " ahead of the record's time "
        + Instant.ofEpochMilli(recordTime) + " (a wrong time column or clock): it would make every later event late";
  }

  /**
   * The Kafka record key a producer gives an event of {@code entityKey} (the GroupBy's key values in
   * key order), so that with {@code partitioning=source} it reaches the task of its entity without a
   * detour: a single key's value as text, several keys joined by {@code :} with {@code % : { }} and
   * control bytes percent-encoded. A record keyed otherwise (or not at all) is still counted: the
   * stream routes it to its entity's task (DESIGN.md "Which events count").
   */
  public static String recordKey(List<?> entityKey) {
    return entityKey.size() == 1 ? String.valueOf(entityKey.getFirst()) : RedisKeys.encodeEntity(entityKey);
  }

  private static int firstNonBlank(byte[] value) {
    for (int i = 0; i < value.length; i++) {
      byte b = value[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return i;
    }
    return -1;
  }
}
