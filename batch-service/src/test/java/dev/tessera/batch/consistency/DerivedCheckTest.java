package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.join.OutputColumn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which columns a derivation reads, how its mismatch inherits their causes, and the rule it is compared with. */
class DerivedCheckTest {
  static final CompiledGroupBy USER = GroupByCompiler.compile(GroupByReader.read("""
      name: user_features
      keys: [user_id]
      sources:
        - events:
            table: purchases
            schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG}
            query: {timeColumn: ts}
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1d]}
        - {inputColumn: amount, operation: COUNT, windows: [1d]}
        - {inputColumn: merchant, operation: LAST_K, args: {k: "3"}}
      """).groupBy()).orThrow();
  static final CompiledJoin JOIN = JoinCompiler.compile(JoinReader.read("""
      name: model
      left: {table: checkouts, timeColumn: ts, schema: {buyer: STRING, amount_now: DOUBLE, ts: LONG}}
      parts:
        - {groupBy: user_features, keyMapping: {buyer: user_id}, prefix: buyer}
      request: [amount_now]
      derivations:
        - {name: ratio, expression: "amount_now / buyer_amount_sum_1d"}
        - {name: busy, expression: "buyer_amount_count_1d > 3"}
        - {name: says, expression: "'buyer_amount_count_1d' != ''"}
        - {name: seen, expression: "buyer_merchant_last_k.exists(buyer_amount_sum_1d, buyer_amount_sum_1d == 'm1')"}
      """).join(), (GroupByResolver) (name, version) -> new GroupByResolver.Found(1, USER)).orThrow();

  static final Map<String, OutputColumn> FEATURES = new HashMap<>();

  static {
    JOIN.featureColumns().forEach(c -> FEATURES.put(c.name(), c));
  }

  @Test
  void aDerivationReadsTheNamesItsExpressionUsesNotStringsNorMacroVariables() {
    Map<String, Set<String>> inputs = DerivedCheck.inputs(JOIN);
    assertThat(inputs.get("ratio")).containsExactlyInAnyOrder("amount_now", "buyer_amount_sum_1d");
    assertThat(inputs.get("busy")).containsExactly("buyer_amount_count_1d");
    assertThat(inputs.get("says")).isEmpty();
    assertThat(inputs.get("seen")).containsExactly("buyer_merchant_last_k");
  }

  @Test
  void aMismatchInheritsTheCauseOfTheColumnsItReadsAndIsUnexplainedWithoutOne() {
    Set<String> ratio = Set.of("amount_now", "buyer_amount_sum_1d");
    assertThat(DerivedCheck.inherited(ratio, FEATURES, List.of(Map.of()))).as("nothing it reads mismatches").isEqualTo(Cause.UNEXPLAINED);
    assertThat(DerivedCheck.inherited(ratio, FEATURES, List.of(Map.of("amount_count_1d", "LATE_EVENT"))))
        .as("a column it does not read").isEqualTo(Cause.UNEXPLAINED);
    assertThat(DerivedCheck.inherited(ratio, FEATURES, List.of(Map.of("amount_sum_1d", "STALE_BATCH")))).isEqualTo(Cause.STALE_BATCH);
    Set<String> both = Set.of("buyer_amount_sum_1d", "buyer_amount_count_1d");
    assertThat(DerivedCheck.inherited(both, FEATURES, List.of(Map.of("amount_sum_1d", "STALE_BATCH", "amount_count_1d", "LATE_EVENT"))))
        .as("in Attribution's order").isEqualTo(Cause.LATE_EVENT);
    assertThat(DerivedCheck.inherited(both, FEATURES, List.of(Map.of("amount_sum_1d", "VERSION_MISMATCH", "amount_count_1d", "LATE_EVENT"))))
        .isEqualTo(Cause.VERSION_MISMATCH);
    assertThat(DerivedCheck.inherited(both, FEATURES, List.of(Map.of("amount_sum_1d", "UNEXPLAINED", "amount_count_1d", "LATE_EVENT"))))
        .as("an unexplained input is not explained away").isEqualTo(Cause.UNEXPLAINED);
  }

  @Test
  void aMismatchInheritsTheLiveSystemCausesOfItsPartsInAttributionsOrder() {
    Set<String> ratio = Set.of("amount_now", "buyer_amount_sum_1d");
    for (String c : List.of("ARRIVED_AFTER_FETCH", "AT_MILLIS_IN_TILE", "STREAM_BEHIND")) {
      assertThat(DerivedCheck.inherited(ratio, FEATURES, List.of(Map.of("amount_sum_1d", c)))).isEqualTo(Cause.valueOf(c));
    }
    Set<String> both = Set.of("buyer_amount_sum_1d", "buyer_amount_count_1d");
    assertThat(DerivedCheck.inherited(both, FEATURES, List.of(Map.of("amount_sum_1d", "STALE_BATCH", "amount_count_1d", "ARRIVED_AFTER_FETCH"))))
        .as("an arrival after the fetch before a stale batch").isEqualTo(Cause.ARRIVED_AFTER_FETCH);
    assertThat(DerivedCheck.inherited(both, FEATURES, List.of(Map.of("amount_sum_1d", "ARRIVED_AFTER_FETCH", "amount_count_1d", "LATE_EVENT"))))
        .as("a late event before an arrival after the fetch").isEqualTo(Cause.LATE_EVENT);
  }

  @Test
  void derivedColumnsCompareDoublesWithinTheToleranceTheRestExactly() {
    ComparisonRule ratio = ComparisonRule.derived("ratio", DataType.Primitive.DOUBLE, ComparisonRule.Tolerances.DEFAULT);
    assertThat(ratio.numeric()).isTrue();
    assertThat(ratio.matches(0.2747, 0.2747 * (1 + 1e-12))).isTrue();
    assertThat(ratio.matches(0.2747, 0.2748)).isFalse();
    ComparisonRule busy = ComparisonRule.derived("busy", DataType.Primitive.BOOLEAN, ComparisonRule.Tolerances.DEFAULT);
    assertThat(busy.numeric()).isFalse();
    assertThat(busy.matches(true, true)).isTrue();
    assertThat(busy.matches(true, false)).isFalse();
    assertThat(busy.matches(null, false)).isFalse();
    assertThat(ComparisonRule.derived("n", DataType.Primitive.LONG, ComparisonRule.Tolerances.DEFAULT).matches(3L, 4L)).isFalse();
  }
}
