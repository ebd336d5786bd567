package dev.tessera.agg.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.testkit.AcceptanceCases;
import dev.tessera.agg.testkit.AcceptanceCases.Case;
import dev.tessera.agg.testkit.AcceptanceCases.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The acceptance rule on its own (DESIGN.md "Which events count"): record bytes, the compiled
 * GroupBy and the record time decide whether an event counts, and why not. The stream topology and
 * the batch ingest + read run the same {@link AcceptanceCases}.
 */
class AcceptanceTest {
  static final CompiledGroupBy G = AcceptanceCases.compiled("purchases");
  static final List<Case> CASES = AcceptanceCases.ALL;

  /** The rule as one function, the way both pipelines compose it. */
  static Object decide(Case c) {
    Map<String, Object> event;
    try {
      event = Acceptance.parseEvent(c.value() == null ? null : c.value().getBytes(StandardCharsets.UTF_8));
    } catch (Acceptance.Refused e) {
      return e.refusal();
    }
    return switch (G.apply(0, event)) {
      case SourceResult.Accepted a -> Acceptance.aheadOfRecord(a.row().ts(), c.recordTime()) == null
          ? Outcome.ACCEPTED : Refusal.AHEAD_OF_RECORD_TIME;
      case SourceResult.Filtered f -> Outcome.FILTERED;
      case SourceResult.Rejected r -> r.refusal();
    };
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("CASES")
  void eachRecordHasTheOutcomeBothPipelinesMustReach(Case c) {
    assertThat(decide(c)).isEqualTo(c.outcome() == Outcome.REFUSED ? c.refusal() : c.outcome());
  }

  @Test
  void everyReasonHasACase() {
    Set<Refusal> covered = EnumSet.noneOf(Refusal.class);
    CASES.stream().filter(c -> c.refusal() != null).forEach(c -> covered.add(c.refusal()));
    assertThat(covered).containsExactlyInAnyOrder(Refusal.values());
  }

  @Test
  void anUnsetRecordTimeLetsAnyEventTimePass() {
    assertThat(Acceptance.aheadOfRecord(Long.MAX_VALUE / 2, 0, Duration.ofHours(1))).isNull();
    assertThat(Acceptance.aheadOfRecord(10_000, 1_000, Duration.ofSeconds(9))).isNull();
    assertThat(Acceptance.aheadOfRecord(10_001, 1_000, Duration.ofSeconds(9))).contains("ahead of the record's time");
  }

  @Test
  void theRecordKeyOfAnEntityIsItsValueOrTheEncodedValues() {
    assertThat(Acceptance.recordKey(List.of("u1"))).isEqualTo("u1");
    assertThat(Acceptance.recordKey(List.of(42L))).isEqualTo("42");
    assertThat(Acceptance.recordKey(List.of("a:b", "m 1"))).isEqualTo("a%3Ab:m%201");
  }

  /** Accepted events are finite, but a sum of them may overflow: served (and backfilled) as null, never NaN. */
  @Test
  void aSumThatOverflowsFinishesAsNullNotInfinity() {
    RowAggregator agg = G.aggregator();
    RowIr ir = agg.newIr();
    int amount = G.schema().indexOf("amount");
    for (int i = 0; i < 2; i++) {
      Object[] values = new Object[G.schema().size()];
      values[G.schema().indexOf("user_id")] = "u1";
      values[amount] = 1.0e308;
      agg.update(ir, new Row(1_000L + i, values));
    }
    int sum = -1;
    for (int c = 0; c < agg.columnCount(); c++) {
      var a = agg.column(c).aggregation();
      if (a.inputColumn().equals("amount") && a.operation() == Operation.SUM) sum = c;
    }
    assertThat(sum).as("the SUM(amount) column").isNotNegative();
    assertThat(agg.finish(ir, sum)).isNull();
  }

  @Test
  void tagsAreTheMetricLabels() {
    assertThat(Refusal.NON_FINITE.tag()).isEqualTo("non-finite");
    assertThat(Refusal.AHEAD_OF_RECORD_TIME.tag()).isEqualTo("ahead-of-record-time");
  }
}
