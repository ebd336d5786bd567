package dev.tessera.agg.testkit;

import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.definition.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The comparison rule of the reference vectors for tests: {@link ValueComparison} with the rule's
 * tolerance per operation, and helpers that list every mismatching feature.
 */
public final class FeatureComparison {
  private FeatureComparison() {}

  public static double tolerance(Operation op) {
    return ValueComparison.tolerance(op);
  }

  /** A description of the difference, or null when the values match under the rule. */
  public static String difference(Object expected, Object actual, double relTolerance) {
    return ValueComparison.difference(expected, actual, relTolerance, false);
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
      String d = difference(e.getValue(), actual.get(e.getKey()), op == null ? ValueComparison.RELATIVE : tolerance(op));
      if (d != null) out.add(e.getKey() + ": " + d);
    }
    return out;
  }
}
