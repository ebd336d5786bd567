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

  /**
   * A valid online Join over one GroupBy of {@link #yaml} (keys [user_id]): 6 output columns
   * (amount_now, channel, buyer_amount_avg_1h, buyer_amount_avg_24h, buyer_merchant_last_k,
   * amount_vs_avg). Lines: parts on line 9, its groupBy on 10, request on 13, the derivation on 15.
   */
  public static String joinYaml(String name, String groupBy, String team, String derivation) {
    return """
        name: %s
        team: %s
        description: features of the fraud model
        online: true
        left:
          table: checkouts
          timeColumn: ts
          schema: {buyer: STRING, amount_now: DOUBLE, channel: STRING, ts: LONG}
        parts:
          - groupBy: %s
            keyMapping: {buyer: user_id}
            prefix: buyer
        request: [amount_now, channel]
        derivations:
          - {name: amount_vs_avg, expression: "%s"}
        """.formatted(name, team, groupBy, derivation);
  }

  public static String joinYaml(String name, String groupBy) {
    return joinYaml(name, groupBy, "risk", "amount_now / buyer_amount_avg_24h");
  }

  /** The same Join as JSON. */
  public static String joinJson(String name, String groupBy) {
    return """
        {"name": "%s", "team": "risk", "description": "features of the fraud model", "online": true,
         "left": {"table": "checkouts", "timeColumn": "ts",
                  "schema": {"buyer": "STRING", "amount_now": "DOUBLE", "channel": "STRING", "ts": "LONG"}},
         "parts": [{"groupBy": "%s", "keyMapping": {"buyer": "user_id"}, "prefix": "buyer"}],
         "request": ["amount_now", "channel"],
         "derivations": [{"name": "amount_vs_avg", "expression": "amount_now / buyer_amount_avg_24h"}]}
        """.formatted(name, groupBy);
  }
}
