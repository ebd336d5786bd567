package dev.tessera.agg.join;

import static dev.tessera.agg.join.JoinFixtures.withDerivations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Derivations and row assembly (DESIGN-joins.md "Derivations"): a null input gives null without
 * evaluating, a non-finite double gives null, an evaluation error gives null and is counted, the
 * result has the expression's CEL type, and values in other Java number forms are widened first.
 */
class DerivationsTest {

  static final CompiledJoin JOIN = JoinFixtures.compile(withDerivations(
      "{name: ratio, expression: \"amount_now / buyer_amount_avg_1d\"}",
      "{name: per_pair, expression: \"buyer_amount_count_1d / pair_amount_count_30d\"}",
      "{name: is_web, expression: \"channel == 'web'\"}",
      "{name: label_text, expression: \"channel + ':' + string(buyer_amount_count_1d)\"}",
      "{name: web_count, expression: \"channel == 'web' ? buyer_amount_count_1d : 0\"}",
      "{name: last_merchant, expression: \"size(buyer_merchant_last_k) > 0 ? buyer_merchant_last_k[0] : 'none'\"}"));

  static Map<String, Object> request(Object amountNow, Object channel) {
    Map<String, Object> m = new HashMap<>();
    m.put("amount_now", amountNow);
    m.put("channel", channel);
    return m;
  }

  static Map<String, Object> user(Object avg, Object count1d) {
    Map<String, Object> m = new HashMap<>();
    m.put("amount_avg_1d", avg);
    m.put("amount_count_1d", count1d);
    m.put("amount_count_30d", 7L);
    m.put("merchant_last_k", List.of("shop_a", "shop_b"));
    return m;
  }

  static final Map<String, Object> MERCHANT = Map.of("amount_count_1h", 2L);

  static Map<String, Object> pair(Object count30d) {
    Map<String, Object> m = new HashMap<>();
    m.put("amount_sum_30d", 100.0);
    m.put("amount_count_30d", count30d);
    m.put("amount_last", 12.5);
    return m;
  }

  static JoinRow row(Map<String, Object> request, Map<String, ?> user, Map<String, ?> merchant, Map<String, ?> pair) {
    List<Map<String, ?>> parts = new ArrayList<>();
    parts.add(user);
    parts.add(merchant);
    parts.add(pair);
    return JOIN.row(request::get, parts);
  }

  @Test
  void aRowHoldsRequestFieldsFeaturesAndDerivationsInOutputOrder() {
    JoinRow r = row(request(50.0, "web"), user(25.0, 3L), MERCHANT, pair(2L));
    assertThat(r.values().keySet()).containsExactlyElementsOf(JOIN.outputColumns().stream().map(OutputColumn::name).toList());
    assertThat(r.values()).containsEntry("amount_now", 50.0).containsEntry("buyer_amount_avg_1d", 25.0)
        .containsEntry("merchant_stats_amount_count_1h", 2L).containsEntry("pair_amount_last", 12.5)
        .containsEntry("ratio", 2.0).containsEntry("per_pair", 1L).containsEntry("is_web", true)
        .containsEntry("label_text", "web:3").containsEntry("web_count", 3L).containsEntry("last_merchant", "shop_a");
    assertThat(r.derivationErrors()).isZero();
  }

  @Test
  void resultsHaveTheJavaFormOfTheirCelType() {
    JoinRow r = row(request(50.0, "pos"), user(25.0, 3L), MERCHANT, pair(2L));
    assertThat(r.values().get("ratio")).isInstanceOf(Double.class);
    assertThat(r.values().get("per_pair")).isInstanceOf(Long.class);
    assertThat(r.values().get("is_web")).isEqualTo(false);
    assertThat(r.values().get("label_text")).isInstanceOf(String.class);
    assertThat(r.values().get("web_count")).isEqualTo(0L);
  }

  @Test
  void aNullInputGivesNullWithoutEvaluating() {
    JoinRow r = row(request(null, null), user(25.0, 3L), MERCHANT, pair(2L));
    assertThat(r.values()).containsEntry("ratio", null).containsEntry("is_web", null).containsEntry("label_text", null)
        .containsEntry("web_count", null);
    // channel == 'web' would be false and the ternary would not read the count: still null, channel is read
    assertThat(r.values()).containsEntry("per_pair", 1L).containsEntry("last_merchant", "shop_a");
    assertThat(r.derivationErrors()).isZero();
  }

  @Test
  void anUnknownEntityGivesNullForEveryFeatureOfItsPartCountsIncluded() {
    JoinRow r = row(request(50.0, "web"), null, MERCHANT, pair(2L));
    assertThat(JOIN.parts().get(0).features()).allSatisfy(c -> assertThat(r.values()).containsEntry(c.name(), null));
    assertThat(r.values()).containsEntry("buyer_amount_count_1d", null).containsEntry("merchant_stats_amount_count_1h", 2L)
        .containsEntry("ratio", null).containsEntry("web_count", null);
    assertThat(r.derivationErrors()).isZero();
  }

  @Test
  void aNonFiniteDoubleIsNullAndNotAnError() {
    JoinRow infinite = row(request(50.0, "web"), user(0.0, 3L), MERCHANT, pair(2L));
    assertThat(infinite.values()).containsEntry("ratio", null);
    JoinRow nan = row(request(0.0, "web"), user(0.0, 3L), MERCHANT, pair(2L));
    assertThat(nan.values()).containsEntry("ratio", null);
    assertThat(infinite.derivationErrors() + nan.derivationErrors()).isZero();
  }

  @Test
  void anEvaluationErrorIsNullAndCountedWhileTheOtherDerivationsStillRun() {
    JoinRow r = row(request(50.0, "web"), user(25.0, 3L), MERCHANT, pair(0L));
    assertThat(r.values()).containsEntry("per_pair", null).containsEntry("ratio", 2.0).containsEntry("web_count", 3L);
    assertThat(r.derivationErrors()).isEqualTo(1);
  }

  @Test
  void otherJavaNumberFormsAreWidenedBeforeCelSeesThem() {
    // an online request body may carry 50 for a DOUBLE field; a pipeline may hand over Integer counts
    JoinRow r = row(request(50, "web"), user(25.0f, 3), MERCHANT, pair((short) 2));
    assertThat(r.derivationErrors()).isZero();
    assertThat(r.values()).containsEntry("ratio", 2.0).containsEntry("per_pair", 1L).containsEntry("web_count", 3L)
        .containsEntry("amount_now", 50.0).containsEntry("buyer_amount_count_1d", 3L);
    assertThat(r.values().get("buyer_amount_avg_1d")).isInstanceOf(Double.class);
  }

  @Test
  void deriveOnARowByNameGivesTheSameValuesAsAssembly() {
    JoinRow assembled = row(request(50.0, "web"), user(25.0, 3L), MERCHANT, pair(0L));
    Map<String, Object> byName = new HashMap<>(assembled.values());
    JOIN.derivedColumns().forEach(c -> byName.remove(c.name()));
    byName.put("buyer_amount_count_1d", 3); // an Integer, widened here too
    int errors = JOIN.derive(byName);
    assertThat(errors).isEqualTo(assembled.derivationErrors()).isEqualTo(1);
    JOIN.derivedColumns().forEach(c -> assertThat(byName).containsEntry(c.name(), assembled.values().get(c.name())));
  }

  @Test
  void assembleFillsAReusableArrayInOutputOrder() {
    Object[] out = new Object[JOIN.outputColumns().size()];
    int errors = JOIN.assemble(out, request(50.0, "web")::get, List.of(user(25.0, 3L), MERCHANT, pair(2L)));
    assertThat(errors).isZero();
    assertThat(out).containsExactlyElementsOf(row(request(50.0, "web"), user(25.0, 3L), MERCHANT, pair(2L)).values().values());
  }

  @Test
  void theFeaturesOfEveryPartMustBeGiven() {
    assertThatThrownBy(() -> JOIN.row(request(1.0, "web")::get, List.of(MERCHANT)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 3 parts");
  }

  @Test
  void concurrentRowsGiveTheSameValuesAsSequentialOnes() {
    List<Map<String, Object>> sequential = IntStream.range(0, 2_000)
        .mapToObj(i -> row(request((double) i, i % 2 == 0 ? "web" : "app"), user(1.0 + i, (long) i), MERCHANT, pair((long) (i % 5))).values())
        .toList();
    List<Map<String, Object>> parallel = IntStream.range(0, 2_000).parallel()
        .mapToObj(i -> row(request((double) i, i % 2 == 0 ? "web" : "app"), user(1.0 + i, (long) i), MERCHANT, pair((long) (i % 5))).values())
        .toList();
    assertThat(parallel).isEqualTo(sequential);
  }

  @Test
  void eachDerivationSaysWhatItReadsFromItsCheckedExpressionNotItsText() {
    Map<String, java.util.Set<String>> inputs = JOIN.derivationInputs();
    assertThat(inputs.keySet()).containsExactly("ratio", "per_pair", "is_web", "label_text", "web_count", "last_merchant");
    assertThat(inputs.get("ratio")).containsExactlyInAnyOrder("amount_now", "buyer_amount_avg_1d");
    assertThat(inputs.get("is_web")).as("'web' is a string, not a name").containsExactly("channel");
    assertThat(inputs.get("last_merchant")).containsExactly("buyer_merchant_last_k");
  }
}
