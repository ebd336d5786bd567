package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.Window;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The comparison rule (shared/vectors/README.md, tolerances configurable) and the attribution of mismatches. */
class ComparisonRuleTest {
  static final CompiledGroupBy G = GroupByCompiler.compile(GroupByReader.read("""
      name: rules
      keys: [user_id]
      sources:
        - events:
            table: purchases
            schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, ts: LONG}
            query: {timeColumn: ts}
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h]}
        - {inputColumn: qty, operation: SUM, windows: [1h]}
        - {inputColumn: amount, operation: SKEW, windows: [1d]}
        - {inputColumn: merchant, operation: LAST_K, args: {k: "3"}}
        - {inputColumn: amount, operation: SUM, windows: [1d], buckets: [merchant]}
        - {inputColumn: merchant, operation: APPROX_UNIQUE_COUNT, windows: [7d]}
        - {inputColumn: amount, operation: APPROX_PERCENTILE, windows: [7d], args: {percentiles: "0.5"}}
        - {inputColumn: merchant, operation: LAST}
      """).groupBy()).orThrow();
  static final Map<String, ComparisonRule> RULES = ComparisonRule.of(G, ComparisonRule.Tolerances.DEFAULT).stream()
      .collect(Collectors.toMap(ComparisonRule::feature, Function.identity()));

  @Test
  void integersAndStringsCompareExactlyFloatsWithinTheRelativeTolerance() {
    ComparisonRule qty = RULES.get("qty_sum_1h");
    assertThat(qty.matches(5L, 5L)).isTrue();
    assertThat(qty.matches(6L, 5L)).isFalse();
    assertThat(qty.numeric()).isTrue();
    ComparisonRule amount = RULES.get("amount_sum_1h");
    assertThat(amount.matches(1e6 + 1e-4, 1e6)).isTrue();
    assertThat(amount.matches(1e6 + 1e-2, 1e6)).isFalse();
    assertThat(amount.matches(1e-10, 0.0)).isTrue();
    assertThat(amount.matches(3L, 3.0)).as("a JSON integer for a double").isTrue();
    assertThat(RULES.get("amount_skew_1d").matches(1.0 + 1e-7, 1.0)).as("moments tolerance").isTrue();
    assertThat(RULES.get("merchant_last").matches("amazon", "amazon")).isTrue();
    assertThat(RULES.get("merchant_last").matches("Amazon", "amazon")).isFalse();
    assertThat(RULES.get("merchant_last").numeric()).isFalse();
  }

  @Test
  void nullOnlyEqualsNullListsInOrderMapsByTextKeys() {
    ComparisonRule amount = RULES.get("amount_sum_1h");
    assertThat(amount.matches(null, null)).isTrue();
    assertThat(amount.matches(0.0, null)).isFalse();
    assertThat(amount.matches(null, 0.0)).isFalse();
    ComparisonRule lastK = RULES.get("merchant_last_k");
    assertThat(lastK.matches(List.of("a", "b"), List.of("a", "b"))).isTrue();
    assertThat(lastK.matches(List.of("b", "a"), List.of("a", "b"))).isFalse();
    assertThat(lastK.matches(List.of("a"), List.of("a", "b"))).isFalse();
    ComparisonRule byMerchant = RULES.get("amount_sum_1d_by_merchant");
    assertThat(byMerchant.matches(Map.of("1", 2.0), Map.of(1L, 2.0))).as("JSON keys are text").isTrue();
    assertThat(byMerchant.matches(Map.of("a", 2.0), Map.of("a", 2.5))).isFalse();
    assertThat(byMerchant.matches(Map.of("a", 2.0), Map.of("a", 2.0, "b", 1.0))).isFalse();
    assertThat(byMerchant.numeric()).isFalse();
  }

  @Test
  void sketchesCompareWithinTheirDocumentedError() {
    ComparisonRule cpc = RULES.get("merchant_approx_unique_count_7d");
    // lgK 11: RSE 0.6/sqrt(2048) = 1.3%; three of them allowed
    assertThat(cpc.tolerance()).isCloseTo(3 * 0.6 / Math.sqrt(2048), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(cpc.matches(1030L, 1000L)).isTrue();
    assertThat(cpc.matches(1100L, 1000L)).isFalse();
    ComparisonRule kll = RULES.get("amount_approx_percentile_7d");
    assertThat(kll.matches(List.of(101.0), List.of(100.0))).isTrue();
    assertThat(kll.matches(List.of(150.0), List.of(100.0))).isFalse();
    assertThat(RULES.get("qty_sum_1h").matches(1001L, 1000L)).as("exact operations stay exact").isFalse();
  }

  @Test
  void smapeAndDifferences() {
    assertThat(ComparisonRule.smape(0.0, 0.0)).isZero();
    assertThat(ComparisonRule.smape(110.0, 90.0)).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ComparisonRule.smape(1.0, 0.0)).isEqualTo(200.0);
    assertThat(ComparisonRule.smape(null, 1.0)).isNull();
    assertThat(ComparisonRule.absDiff(3L, 1.5)).isEqualTo(1.5);
    assertThat(ComparisonRule.absDiff("a", 1.5)).isNull();
  }

  @Test
  void attributionFirstRuleThatApplies() {
    long t = 1_000 * 3_600_000L;
    Window hour = Window.parse("1h");
    long[] none = {};
    long[] lateInHour = {t - 10 * 60_000L};
    long[] lateBefore = {t - 3 * 3_600_000L};
    assertThat(Attribution.cause(1, 2, t, hour, lateInHour, true)).isEqualTo(Cause.VERSION_MISMATCH);
    assertThat(Attribution.cause(2, 2, t, hour, lateInHour, true)).isEqualTo(Cause.LATE_EVENT);
    assertThat(Attribution.cause(2, 2, t, hour, lateBefore, true)).as("a late event outside the window explains nothing")
        .isEqualTo(Cause.STALE_BATCH);
    assertThat(Attribution.cause(2, 2, t, null, lateBefore, false)).as("lifetime: any late event before t").isEqualTo(Cause.LATE_EVENT);
    assertThat(Attribution.cause(2, 2, t, hour, new long[] {t}, false)).as("an event at t is not in the value at t")
        .isEqualTo(Cause.UNEXPLAINED);
    assertThat(Attribution.cause(2, 2, t, hour, none, false)).isEqualTo(Cause.UNEXPLAINED);
  }

  @Test
  void lateEventSearchFindsTheRange() {
    long[] times = {10, 20, 20, 30};
    assertThat(Attribution.lateEventIn(times, 20, 21)).isTrue();
    assertThat(Attribution.lateEventIn(times, 21, 30)).isFalse();
    assertThat(Attribution.lateEventIn(times, 0, 10)).isFalse();
    assertThat(Attribution.lateEventIn(times, 31, 100)).isFalse();
    assertThat(Arrays.stream(times).count()).isEqualTo(4);
  }
}
