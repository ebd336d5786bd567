package dev.tessera.agg.testkit;

import dev.tessera.agg.definition.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The comparison rule of the reference vectors (shared/vectors/README.md): integers and strings
 * exactly; floats within 1e-9 relative (1e-6 for SKEW and KURTOSIS, ratios of central moments);
 * lists element by element in order; maps key by key; null only equals null.
 */
public final class FeatureComparison {
  private FeatureComparison() {}

  public static double tolerance(Operation op) {
    return op == Operation.SKEW || op == Operation.KURTOSIS ? 1e-6 : 1e-9;
  }

  /** A description of the difference, or null when the values match under the rule. */
  public static String difference(Object expected, Object actual, double relTolerance) {
    if (expected == null || actual == null) {
      return expected == actual ? null : "expected " + expected + " but was " + actual;
    }
    if (expected instanceof Double e && actual instanceof Number a) {
      double av = a.doubleValue();
      return Math.abs(e - av) <= relTolerance * Math.max(1, Math.abs(e)) ? null
          : "expected " + e + " but was " + av + " (difference " + Math.abs(e - av) + ")";
    }
    if (expected instanceof Long e && actual instanceof Number a) {
      if (actual instanceof Double d) {
        return Math.abs(e - d) <= relTolerance * Math.max(1, Math.abs(e)) ? null : "expected " + e + " but was " + d;
      }
      return e == a.longValue() ? null : "expected " + e + " but was " + a;
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      if (e.size() != a.size()) return "expected " + e + " but was " + a + " (length differs)";
      for (int i = 0; i < e.size(); i++) {
        String d = difference(e.get(i), a.get(i), relTolerance);
        if (d != null) return "element " + i + ": " + d + " in " + a;
      }
      return null;
    }
    if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
      if (!e.keySet().equals(a.keySet())) return "expected keys " + e.keySet() + " but was " + a.keySet();
      for (var entry : e.entrySet()) {
        String d = difference(entry.getValue(), a.get(entry.getKey()), relTolerance);
        if (d != null) return "key " + entry.getKey() + ": " + d;
      }
      return null;
    }
    return Objects.equals(expected, actual) ? null : "expected " + expected + " (" + expected.getClass().getSimpleName()
        + ") but was " + actual + " (" + actual.getClass().getSimpleName() + ")";
  }

  /** Every feature of {@code expected} compared with {@code actual}; the mismatches as text. */
  public static List<String> mismatches(Map<String, Object> expected, Map<String, Object> actual, Map<String, Operation> operations) {
    List<String> out = new ArrayList<>();
    for (var e : expected.entrySet()) {
      if (!actual.containsKey(e.getKey())) {
        out.add(e.getKey() + ": missing");
        continue;
      }
      Operation op = operations.get(e.getKey());
      String d = difference(e.getValue(), actual.get(e.getKey()), op == null ? 1e-9 : tolerance(op));
      if (d != null) out.add(e.getKey() + ": " + d);
    }
    return out;
  }
}
