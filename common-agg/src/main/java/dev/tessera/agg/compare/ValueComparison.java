package dev.tessera.agg.compare;

import dev.tessera.agg.definition.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When two feature values are the same value: the comparison rule of the reference vectors
 * (shared/vectors/README.md), shared by the tests that check every path against the oracle and by
 * the consistency job that checks served values in production. Integers, strings and booleans
 * exactly; floats within {@code tolerance * max(1, |expected|)}; NaN only equals NaN; lists element
 * by element in order; maps key by key, keys compared as text (JSON keys are text); null only
 * equals null. For a sketch ({@code approximate}) integers compare within the tolerance too.
 */
public final class ValueComparison {
  /** The rule's tolerance for floating values. */
  public static final double RELATIVE = 1e-9;
  /** The rule's tolerance for SKEW and KURTOSIS, ratios of central moments. */
  public static final double MOMENT_RATIOS = 1e-6;

  private ValueComparison() {}

  /** The rule's tolerance for an exact operation's values. */
  public static double tolerance(Operation op) {
    return op == Operation.SKEW || op == Operation.KURTOSIS ? MOMENT_RATIOS : RELATIVE;
  }

  public static boolean same(Object expected, Object actual, double tolerance, boolean approximate) {
    return difference(expected, actual, tolerance, approximate) == null;
  }

  /** What differs, in words, or null when the values are the same under the rule. */
  public static String difference(Object expected, Object actual, double tolerance, boolean approximate) {
    if (expected == null || actual == null) {
      return expected == actual ? null : "expected " + expected + " but was " + actual;
    }
    if (expected instanceof Number e && actual instanceof Number a) {
      boolean floating = e instanceof Double || e instanceof Float || a instanceof Double || a instanceof Float;
      if (!floating && !approximate) {
        return e.longValue() == a.longValue() ? null : "expected " + e + " but was " + a;
      }
      double ev = e.doubleValue();
      double av = a.doubleValue();
      if (Double.isNaN(ev) || Double.isNaN(av)) {
        return Double.isNaN(ev) && Double.isNaN(av) ? null : "expected " + ev + " but was " + av;
      }
      double diff = Math.abs(ev - av);
      return diff <= tolerance * Math.max(1, Math.abs(ev)) ? null
          : "expected " + ev + " but was " + av + " (difference " + diff + ")";
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      if (e.size() != a.size()) return "expected " + e + " but was " + a + " (length differs)";
      for (int i = 0; i < e.size(); i++) {
        String d = difference(e.get(i), a.get(i), tolerance, approximate);
        if (d != null) return "element " + i + ": " + d + " in " + a;
      }
      return null;
    }
    if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
      Map<String, Object> byText = new HashMap<>();
      a.forEach((k, v) -> byText.put(String.valueOf(k), v));
      Map<String, Object> expectedByText = new HashMap<>();
      e.forEach((k, v) -> expectedByText.put(String.valueOf(k), v));
      if (!expectedByText.keySet().equals(byText.keySet())) {
        return "expected keys " + expectedByText.keySet() + " but was " + byText.keySet();
      }
      for (var entry : expectedByText.entrySet()) {
        String d = difference(entry.getValue(), byText.get(entry.getKey()), tolerance, approximate);
        if (d != null) return "key " + entry.getKey() + ": " + d;
      }
      return null;
    }
    return Objects.equals(expected, actual) ? null : "expected " + expected + " (" + expected.getClass().getSimpleName()
        + ") but was " + actual + " (" + actual.getClass().getSimpleName() + ")";
  }
}
