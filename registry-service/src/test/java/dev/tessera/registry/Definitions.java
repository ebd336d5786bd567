package dev.tessera.registry;

import java.util.concurrent.atomic.AtomicInteger;

/** Definitions for tests: valid ones with a unique name per call, and variants of them. */
public final class Definitions {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private Definitions() {}

  /** A name no other test uses (tests share databases and Kafka topics). */
  public static String uniqueName(String prefix) {
    return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
  }

  /**
   * A valid online GroupBy. Line numbers matter to tests: aggregations start at line 15, the
   * first aggregation's windows are on line 15, the where clause on line 12.
   */
  public static String yaml(String name, String team, String windows) {
    return """
        name: %s
        team: %s
        description: purchase statistics per user
        online: true
        keys: [user_id]
        sources:
          - events:
              table: purchases
              topic: purchases
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, currency: STRING, ts: LONG}
              query:
                wheres: ['currency == "USD"']
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: AVG, windows: [%s]}
          - {inputColumn: merchant, operation: LAST_K, args: {k: "5"}}
        """.formatted(name, team, windows);
  }

  public static String yaml(String name) {
    return yaml(name, "risk", "1h, 24h");
  }

  /** The same GroupBy as JSON. */
  public static String json(String name, String team, String windows) {
    String w = String.join(", ", java.util.Arrays.stream(windows.split(",")).map(s -> "\"" + s.trim() + "\"").toList());
    return """
        {
          "name": "%s",
          "team": "%s",
          "description": "purchase statistics per user",
          "online": true,
          "keys": ["user_id"],
          "sources": [{"events": {
            "table": "purchases", "topic": "purchases",
            "schema": {"user_id": "STRING", "merchant": "STRING", "amount": "DOUBLE", "currency": "STRING", "ts": "LONG"},
            "query": {"wheres": ["currency == \\"USD\\""], "timeColumn": "ts"}}}],
          "aggregations": [
            {"inputColumn": "amount", "operation": "AVG", "windows": [%s]},
            {"inputColumn": "merchant", "operation": "LAST_K", "args": {"k": "5"}}
          ]
        }
        """.formatted(name, team, w);
  }
}
