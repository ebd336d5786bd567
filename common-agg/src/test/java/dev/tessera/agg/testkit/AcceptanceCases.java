package dev.tessera.agg.testkit;

import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The same Kafka records for every implementation of the acceptance rule (DESIGN.md "Which events
 * count"): common-agg's own test, the stream topology and the batch ingest + read run these inputs
 * and must reach the same outcome for each, so an event one pipeline refuses the other refuses for
 * the same {@link Refusal}. One case (at least) per reason.
 */
public final class AcceptanceCases {
  private AcceptanceCases() {}

  /** The record time of every case: 2026-01-01T00:00:00Z. */
  public static final long T = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  public static final String TOPIC = "purchases";

  /** What should become of a record. */
  public enum Outcome { ACCEPTED, FILTERED, REFUSED }

  /**
   * @param key the record key (null: none), {@code value} its JSON text (null: a tombstone),
   *     {@code recordTime} its Kafka timestamp; {@code refusal} is set when {@code outcome} is REFUSED
   */
  public record Case(String name, String key, String value, long recordTime, Outcome outcome, Refusal refusal) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The GroupBy the cases are for, reading {@code table} (batch) and {@link #TOPIC} (stream). */
  public static String groupBy(String table) {
    return """
        name: acceptance
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query:
                selects: {user_id: user_id, amount: amount, scaled: "amount * 1.0e300", per_item: "100 / qty"}
                wheres: ['currency == "USD"']
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: SUM}
          - {inputColumn: scaled, operation: MAX}
          - {inputColumn: per_item, operation: SUM}
        streaming: {watermarkDelay: 5m, allowedLateness: 1h}
        """.formatted(table, TOPIC);
  }

  public static CompiledGroupBy compiled(String table) {
    return GroupByCompiler.compile(groupBy(table)).orThrow();
  }

  private static String event(String user, String amount, String qty, String currency, String ts) {
    StringBuilder sb = new StringBuilder("{");
    if (user != null) sb.append("\"user_id\": ").append(user).append(", ");
    sb.append("\"amount\": ").append(amount).append(", \"qty\": ").append(qty).append(", \"currency\": \"").append(currency).append('"');
    if (ts != null) sb.append(", \"ts\": ").append(ts);
    return sb.append('}').toString();
  }

  private static String ok(String user) {
    return event("\"" + user + "\"", "12.5", "2", "USD", Long.toString(T - 60_000));
  }

  private static Case accepted(String name, String key, String value) {
    return new Case(name, key, value, T, Outcome.ACCEPTED, null);
  }

  private static Case refused(String name, String key, String value, Refusal refusal) {
    return new Case(name, key, value, T, Outcome.REFUSED, refusal);
  }

  public static final List<Case> ALL = List.of(
      accepted("keyed by its entity", "u1", ok("u1")),
      accepted("keyed by something else", "order-17", ok("u2")),
      accepted("no record key", null, ok("u3")),
      accepted("30 min before its record time (back-dated, within allowedLateness)", "u4",
          event("\"u4\"", "1.0", "1", "USD", Long.toString(T - 30 * 60_000L))),
      accepted("exactly the maximum lead ahead", "u5", event("\"u5\"", "1.0", "1", "USD", Long.toString(T + 3_600_000L))),
      new Case("filtered by a where", "u6", event("\"u6\"", "1.0", "1", "EUR", Long.toString(T)), T, Outcome.FILTERED, null),
      refused("not JSON", "u7", "{oops", Refusal.NOT_AN_OBJECT),
      refused("a JSON array", "u7", "[1, 2]", Refusal.NOT_AN_OBJECT),
      refused("a tombstone", "u7", null, Refusal.NOT_AN_OBJECT),
      refused("NaN is not JSON", "u7", event("\"u7\"", "NaN", "1", "USD", Long.toString(T)), Refusal.NOT_AN_OBJECT),
      refused("a string for a DOUBLE", "u8", event("\"u8\"", "\"x\"", "1", "USD", Long.toString(T)), Refusal.BAD_VALUE),
      refused("a fraction for a LONG", "u8", event("\"u8\"", "1.0", "1.5", "USD", Long.toString(T)), Refusal.BAD_VALUE),
      refused("1e400 overflows a double", "u9", event("\"u9\"", "1e400", "1", "USD", Long.toString(T)), Refusal.NON_FINITE),
      refused("-1e400 overflows a double", "u9", event("\"u9\"", "-1e400", "1", "USD", Long.toString(T)), Refusal.NON_FINITE),
      refused("a select overflows", "u9", event("\"u9\"", "1.0e10", "1", "USD", Long.toString(T)), Refusal.NON_FINITE),
      refused("no event time", "u10", event("\"u10\"", "1.0", "1", "USD", null), Refusal.NO_EVENT_TIME),
      refused("a null entity key", null, event("null", "1.0", "1", "USD", Long.toString(T)), Refusal.NULL_KEY),
      refused("no entity key", null, event(null, "1.0", "1", "USD", Long.toString(T)), Refusal.NULL_KEY),
      refused("a select fails (division by zero)", "u11", event("\"u11\"", "1.0", "0", "USD", Long.toString(T)), Refusal.EVALUATION_ERROR),
      refused("3 h ahead of its record time", "u12", event("\"u12\"", "1.0", "1", "USD", Long.toString(T + 3 * 3_600_000L)),
          Refusal.AHEAD_OF_RECORD_TIME));

  /** The entities of the accepted cases, sorted. */
  public static List<String> acceptedUsers() {
    return ALL.stream().filter(c -> c.outcome() == Outcome.ACCEPTED).map(c -> c.value().replaceAll(".*\"user_id\": \"([^\"]+)\".*", "$1"))
        .sorted().toList();
  }

  /** How many cases each reason should refuse, by {@link Refusal#tag()}. */
  public static Map<String, Long> expectedRefusals() {
    Map<String, Long> out = new TreeMap<>();
    for (Case c : ALL) if (c.outcome() == Outcome.REFUSED) out.merge(c.refusal().tag(), 1L, Long::sum);
    return out;
  }
}
