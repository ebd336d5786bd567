package dev.tessera.agg.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.GroupByCompiler;

/**
 * GroupBys and a valid Join over them for the Join unit tests: {@code user_stats} (online, key
 * user_id STRING), {@code merchant_stats} (online, key merchant), {@code pair_stats} (online, keys
 * user_id and merchant), {@code offline_stats} (not online), {@code account_stats} (key account_id
 * LONG) and {@code retired_stats} (retired). {@code user_stats} has versions 1 and 2 (live).
 */
final class JoinFixtures {
  private JoinFixtures() {}

  static final String SCHEMA = "{user_id: STRING, merchant: STRING, account_id: LONG, amount: DOUBLE, ts: LONG}";

  static String groupBy(String name, boolean online, String keys, String... aggregations) {
    StringBuilder b = new StringBuilder()
        .append("name: ").append(name).append('\n')
        .append("online: ").append(online).append('\n')
        .append("keys: ").append(keys).append('\n')
        .append("sources:\n  - events:\n      table: purchases\n      topic: purchases\n")
        .append("      schema: ").append(SCHEMA).append('\n')
        .append("      query: {timeColumn: ts}\n")
        .append("aggregations:\n");
    for (String a : aggregations) b.append("  - ").append(a).append('\n');
    return b.toString();
  }

  static final String USER_STATS = groupBy("user_stats", true, "[user_id]",
      "{inputColumn: amount, operation: AVG, windows: [1d]}",
      "{inputColumn: amount, operation: COUNT, windows: [1d, 30d]}",
      "{inputColumn: merchant, operation: LAST_K, args: {k: \"3\"}}");
  static final String MERCHANT_STATS = groupBy("merchant_stats", true, "[merchant]",
      "{inputColumn: amount, operation: COUNT, windows: [1h]}");
  static final String PAIR_STATS = groupBy("pair_stats", true, "[user_id, merchant]",
      "{inputColumn: amount, operation: SUM, windows: [30d]}",
      "{inputColumn: amount, operation: COUNT, windows: [30d]}",
      "{inputColumn: amount, operation: LAST}");
  static final String OFFLINE_STATS = groupBy("offline_stats", false, "[user_id]",
      "{inputColumn: amount, operation: MAX, windows: [7d]}");
  static final String ACCOUNT_STATS = groupBy("account_stats", true, "[account_id]",
      "{inputColumn: amount, operation: SUM, windows: [1d]}");
  static final String RETIRED_STATS = groupBy("retired_stats", true, "[user_id]",
      "{inputColumn: amount, operation: MIN, windows: [1d]}");
  /** Version 1 of user_stats: only the average. */
  static final String USER_STATS_V1 = groupBy("user_stats", true, "[user_id]",
      "{inputColumn: amount, operation: AVG, windows: [1d]}");

  static UnitTestGroupBys groupBys() {
    return UnitTestGroupBys.ofDocuments(MERCHANT_STATS, PAIR_STATS, OFFLINE_STATS, ACCOUNT_STATS, RETIRED_STATS)
        .add("user_stats", 1, GroupByCompiler.compile(USER_STATS_V1).orThrow())
        .add("user_stats", 2, GroupByCompiler.compile(USER_STATS).orThrow())
        .retire("retired_stats");
  }

  /** A valid Join over the fixtures' GroupBys, with every kind of column. */
  static final String VALID = """
      name: fraud_model
      team: risk
      online: true
      left:
        table: checkouts
        timeColumn: ts
        schema: {buyer: STRING, shop: STRING, account: LONG, small_account: INT, amount_now: DOUBLE, channel: STRING, \
      ts: LONG, label: LONG}
      parts:
        - groupBy: user_stats
          keyMapping: {buyer: user_id}
          prefix: buyer
        - groupBy: merchant_stats
          keyMapping: {shop: merchant}
        - groupBy: pair_stats
          keyMapping: {buyer: user_id, shop: merchant}
          prefix: pair
      request: [amount_now, channel]
      derivations:
        - {name: amount_vs_avg, expression: "amount_now / buyer_amount_avg_1d"}
        - {name: new_pair, expression: "pair_amount_count_30d == 0"}
      """;

  /** {@link #VALID} with {@code original} (which must occur in it) replaced. */
  static String replace(String original, String replacement) {
    assertThat(VALID).as("the valid Join contains the text to replace").contains(original);
    return VALID.replace(original, replacement);
  }

  /** {@link #VALID} with these derivations instead of its own. */
  static String withDerivations(String... derivations) {
    String own = """
          - {name: amount_vs_avg, expression: "amount_now / buyer_amount_avg_1d"}
          - {name: new_pair, expression: "pair_amount_count_30d == 0"}
        """;
    StringBuilder b = new StringBuilder();
    for (String d : derivations) b.append("  - ").append(d).append('\n');
    return replace(own, b.toString());
  }

  static CompiledJoin compile(String document) {
    return JoinCompiler.compile(document, groupBys()).orThrow();
  }
}
