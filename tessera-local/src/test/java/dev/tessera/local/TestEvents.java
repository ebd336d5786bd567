package dev.tessera.local;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.testkit.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Events as the end-to-end tests send them: JSON objects with an epoch-ms {@code ts}, keyed by {@code user_id}. */
final class TestEvents {
  private TestEvents() {}

  private static final String[] MERCHANTS = {"amazon", "walmart", "target", "apple", "ebay"};

  /** The purchases GroupBy of the consistency tests: windowed SUM, COUNT and AVG of amount, the last merchants. */
  static String purchasesGroupBy(String name, String topic) {
    return """
        name: %s
        team: e2e
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h]}
          - {inputColumn: amount, operation: COUNT, windows: [24h]}
          - {inputColumn: amount, operation: AVG, windows: [7d]}
          - {inputColumn: merchant, operation: LAST_K, args: {k: "3"}}
        streaming: {watermarkDelay: 5m, allowedLateness: 1h}
        """.formatted(name, topic, topic);
  }

  /** Each feature's operation, as FeatureComparison wants them (how exact a value must be). */
  static Map<String, Operation> operations(CompiledGroupBy g) {
    Map<String, Operation> operations = new java.util.HashMap<>();
    for (Feature f : g.features()) operations.put(f.name(), g.aggregator().column(f.column()).aggregation().operation());
    return operations;
  }

  /** A purchase of user {@code u} at {@code ts}: a random merchant and amount. */
  static Map<String, Object> purchase(int u, long ts, java.util.Random r) {
    Map<String, Object> e = new java.util.LinkedHashMap<>();
    e.put("user_id", user(u));
    e.put("merchant", MERCHANTS[r.nextInt(MERCHANTS.length)]);
    e.put("amount", Math.round(r.nextDouble() * 20000) / 100.0);
    e.put("ts", ts);
    return e;
  }

  static String user(int u) {
    return String.format("u%03d", u);
  }

  static long ts(Map<String, Object> e) {
    return (Long) e.get("ts");
  }

  /** A time for failure messages. */
  static String at(long t) {
    return Instant.ofEpochMilli(t).toString();
  }

  /** Sends the events to {@code topic} in list order, keyed by user_id, and waits until they are written. */
  static void send(Producer<String, String> producer, String topic, List<Map<String, Object>> events) {
    for (Map<String, Object> e : events) {
      producer.send(new ProducerRecord<>(topic, (String) e.get("user_id"), Json.MAPPER.writeValueAsString(e)));
    }
    producer.flush();
  }
}
