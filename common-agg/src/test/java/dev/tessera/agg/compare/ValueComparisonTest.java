package dev.tessera.agg.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison rule of shared/vectors/README.md. */
class ValueComparisonTest {

  @Test
  void integersExactlyFloatsWithinTheToleranceOfTheExpectedValue() {
    assertThat(ValueComparison.same(5L, 5L, 1e-9, false)).isTrue();
    assertThat(ValueComparison.difference(5L, 6L, 1e-9, false)).isEqualTo("expected 5 but was 6");
    assertThat(ValueComparison.same(5, 5L, 1e-9, false)).as("Integer and Long").isTrue();
    assertThat(ValueComparison.same(1e6, 1e6 + 1e-4, 1e-9, false)).isTrue();
    assertThat(ValueComparison.same(1e6, 1e6 + 1e-2, 1e-9, false)).isFalse();
    assertThat(ValueComparison.same(0.0, 1e-10, 1e-9, false)).as("absolute near zero").isTrue();
    assertThat(ValueComparison.same(3.0, 3L, 1e-9, false)).as("a JSON integer for a double").isTrue();
    assertThat(ValueComparison.same(Double.NaN, Double.NaN, 1e-9, false)).isTrue();
    assertThat(ValueComparison.same(Double.NaN, 1.0, 1e-9, false)).isFalse();
    assertThat(ValueComparison.same(1000L, 1030L, 0.05, true)).as("sketch counts within the tolerance").isTrue();
    assertThat(ValueComparison.same(1000L, 1030L, 0.05, false)).isFalse();
    assertThat(ValueComparison.tolerance(Operation.SKEW)).isEqualTo(1e-6);
    assertThat(ValueComparison.tolerance(Operation.AVG)).isEqualTo(1e-9);
  }

  @Test
  void nullOnlyNullListsInOrderMapsByTextKeysOtherValuesByEquals() {
    assertThat(ValueComparison.same(null, null, 1e-9, false)).isTrue();
    assertThat(ValueComparison.same(null, 0.0, 1e-9, false)).isFalse();
    assertThat(ValueComparison.same(0L, null, 1e-9, false)).isFalse();
    assertThat(ValueComparison.same(List.of("a", "b"), List.of("a", "b"), 1e-9, false)).isTrue();
    assertThat(ValueComparison.difference(List.of("a", "b"), List.of("b", "a"), 1e-9, false)).startsWith("element 0:");
    assertThat(ValueComparison.same(List.of("a"), List.of("a", "b"), 1e-9, false)).isFalse();
    assertThat(ValueComparison.same(Map.of(1L, 2.0), Map.of("1", 2.0), 1e-9, false)).as("JSON keys are text").isTrue();
    assertThat(ValueComparison.difference(Map.of("a", 2.0), Map.of("a", 2.5), 1e-9, false)).startsWith("key a:");
    assertThat(ValueComparison.same(Map.of("a", 2.0), Map.of("a", 2.0, "b", 1.0), 1e-9, false)).isFalse();
    assertThat(ValueComparison.same("amazon", "amazon", 1e-9, false)).isTrue();
    assertThat(ValueComparison.same("Amazon", "amazon", 1e-9, false)).isFalse();
    assertThat(ValueComparison.same(true, "true", 1e-9, false)).isFalse();
  }
}
