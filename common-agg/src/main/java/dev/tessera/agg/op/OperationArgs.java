package dev.tessera.agg.op;

import dev.tessera.agg.definition.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The arguments operations take, their defaults and their checks. */
public final class OperationArgs {
  public static final int DEFAULT_K = 10;
  public static final int DEFAULT_BOUNDED_K = 8;
  public static final int DEFAULT_KLL_K = 200;
  public static final int DEFAULT_LG_K = 11;
  public static final int MAX_K = 10_000;

  private OperationArgs() {}

  /** Every problem with {@code args} for {@code op}, as "arg: message" texts; empty when fine. */
  public static Map<String, String> problems(Operation op, Map<String, String> args) {
    Map<String, String> problems = new java.util.LinkedHashMap<>();
    for (String name : args.keySet()) {
      if (!op.argNames().contains(name)) {
        problems.put(name, op.argNames().isEmpty() ? op + " takes no arguments"
            : "unknown argument '" + name + "' for " + op + " (takes: " + String.join(", ", op.argNames().stream().sorted().toList()) + ")");
      }
    }
    String k = args.get("k");
    if (k != null && op.argNames().contains("k")) {
      int min = op == Operation.APPROX_PERCENTILE ? 8 : 1;
      int max = op == Operation.APPROX_PERCENTILE ? 65_535 : MAX_K;
      if (!isIntIn(k, min, max)) problems.put("k", "k must be an integer between " + min + " and " + max + ", got '" + k + "'");
    }
    String lgK = args.get("lgK");
    if (lgK != null && op.argNames().contains("lgK") && !isIntIn(lgK, 4, 26)) {
      problems.put("lgK", "lgK must be an integer between 4 and 26, got '" + lgK + "'");
    }
    if (op == Operation.APPROX_PERCENTILE) {
      String p = args.get("percentiles");
      if (p == null) {
        problems.put("percentiles", "APPROX_PERCENTILE needs percentiles, e.g. args: {percentiles: \"0.5,0.99\"}");
      } else {
        try {
          percentiles(p);
        } catch (IllegalArgumentException e) {
          problems.put("percentiles", e.getMessage());
        }
      }
    }
    return problems;
  }

  private static boolean isIntIn(String s, int min, int max) {
    try {
      int v = Integer.parseInt(s.trim());
      return v >= min && v <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public static int k(Operation op, Map<String, String> args) {
    String k = args.get("k");
    if (k != null) return Integer.parseInt(k.trim());
    return switch (op) {
      case BOUNDED_UNIQUE_COUNT -> DEFAULT_BOUNDED_K;
      case APPROX_PERCENTILE -> DEFAULT_KLL_K;
      default -> DEFAULT_K;
    };
  }

  public static int lgK(Map<String, String> args) {
    String v = args.get("lgK");
    return v == null ? DEFAULT_LG_K : Integer.parseInt(v.trim());
  }

  /** Parses {@code "0.5,0.99"}: numbers in [0, 1]. */
  public static double[] percentiles(String spec) {
    List<Double> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      double v;
      try {
        v = Double.parseDouble(part.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("percentiles must be numbers between 0 and 1 separated by commas, got '" + spec + "'");
      }
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("percentile " + part.trim() + " is outside [0, 1]");
      }
      out.add(v);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
