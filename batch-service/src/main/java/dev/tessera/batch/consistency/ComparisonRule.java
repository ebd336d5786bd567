package dev.tessera.batch.consistency;

import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Aggregation;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.Window;
import dev.tessera.agg.op.OperationArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllSketch;

/**
 * When a served (online) value equals the recomputed (offline) one: {@link ValueComparison}, the
 * rule of the reference vectors, with configurable tolerances: floats within
 * {@code relative * max(1, |offline|)}, SKEW and KURTOSIS (ratios of central moments) within
 * {@code moments}. Sketches compare within their documented error times {@code sketchErrors}:
 * CPC (APPROX_UNIQUE_COUNT) relative standard error {@code 0.6 / sqrt(2^lgK)}; KLL
 * (APPROX_PERCENTILE) its normalized rank error, applied to the value; APPROX_HISTOGRAM_K counts
 * within {@code 3.5 / k} (the frequent-items error bound).
 *
 * @param tolerance relative tolerance for floating values (and every number of a sketch)
 * @param approximate whether the feature is a sketch (integers then compare within the tolerance too)
 * @param numeric whether the feature is a plain number, for SMAPE and the largest difference
 */
public record ComparisonRule(String feature, Window window, double tolerance, boolean approximate, boolean numeric) {

  public record Tolerances(double relative, double moments, double sketchErrors) {
    public static final Tolerances DEFAULT = new Tolerances(ValueComparison.RELATIVE, ValueComparison.MOMENT_RATIOS, 3.0);
  }

  /** One rule per feature of {@code g}, in feature order. */
  public static List<ComparisonRule> of(CompiledGroupBy g, Tolerances t) {
    List<ComparisonRule> out = new ArrayList<>();
    for (Feature f : g.features()) {
      Aggregation a = aggregationOf(g, f);
      Operation op = a == null ? Operation.SUM : a.operation();
      Map<String, String> args = a == null ? Map.of() : a.args();
      double tol = switch (op) {
        case SKEW, KURTOSIS -> t.moments();
        case APPROX_UNIQUE_COUNT -> t.sketchErrors() * 0.6 / Math.sqrt(1 << OperationArgs.lgK(args));
        case APPROX_PERCENTILE -> t.sketchErrors() * KllSketch.getNormalizedRankError(OperationArgs.k(op, args), false);
        case APPROX_HISTOGRAM_K -> t.sketchErrors() * 3.5 / OperationArgs.k(op, args);
        default -> t.relative();
      };
      boolean approximate = op == Operation.APPROX_UNIQUE_COUNT || op == Operation.APPROX_PERCENTILE || op == Operation.APPROX_HISTOGRAM_K;
      boolean numeric = f.type() instanceof DataType.Primitive p && (p.isIntegral() || p == DataType.Primitive.DOUBLE
          || p == DataType.Primitive.FLOAT);
      out.add(new ComparisonRule(f.name(), f.window(), tol, approximate, numeric));
    }
    return out;
  }

  /**
   * The rule of a Join's derived column: a derivation gives LONG, DOUBLE, BOOLEAN or STRING; doubles
   * compare within the relative tolerance, the rest exactly.
   */
  public static ComparisonRule derived(String column, DataType type, Tolerances t) {
    boolean numeric = type instanceof DataType.Primitive p && (p.isIntegral() || p == DataType.Primitive.DOUBLE || p == DataType.Primitive.FLOAT);
    return new ComparisonRule(column, null, t.relative(), false, numeric);
  }

  /** The aggregation a feature comes from, by its name (DESIGN.md: {input}_{operation}[_{window}][_by_{bucket}]). */
  static Aggregation aggregationOf(CompiledGroupBy g, Feature f) {
    for (Aggregation a : g.definition().aggregations()) {
      List<String> buckets = a.buckets().isEmpty() ? java.util.Collections.singletonList(null) : a.buckets();
      List<Window> windows = a.isLifetime() ? java.util.Collections.singletonList(null) : a.windows();
      for (String b : buckets) {
        for (Window w : windows) {
          String name = a.inputColumn() + "_" + a.operation().lowerName() + (w == null ? "" : "_" + w.spec()) + (b == null ? "" : "_by_" + b);
          if (name.equals(f.name())) return a;
        }
      }
    }
    return null;
  }

  /** Whether the served value matches the recomputed one under this rule. */
  public boolean matches(Object online, Object offline) {
    return ValueComparison.same(offline, online, tolerance, approximate);
  }

  /** |online - offline| when both are numbers, else null. */
  public static Double absDiff(Object online, Object offline) {
    if (online instanceof Number a && offline instanceof Number e) return Math.abs(a.doubleValue() - e.doubleValue());
    return null;
  }

  /** Symmetric absolute percentage error of one pair, 0 to 200 (0 when both are 0), or null unless both are numbers. */
  public static Double smape(Object online, Object offline) {
    if (!(online instanceof Number a) || !(offline instanceof Number e)) return null;
    double av = a.doubleValue();
    double ev = e.doubleValue();
    double denominator = Math.abs(av) + Math.abs(ev);
    return denominator == 0 ? 0.0 : 200.0 * Math.abs(av - ev) / denominator;
  }
}
