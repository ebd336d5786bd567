package dev.tessera.agg.testkit;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.op.OperationArgs;
import dev.tessera.agg.op.Values;
import dev.tessera.agg.row.AggColumn;
import dev.tessera.agg.row.Row;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The oracle: for each feature, select the events of the window by the definition in DESIGN.md and
 * compute the value from scratch, with exact arithmetic and none of the production code's IRs,
 * tiles, hops or merges. Approximate operations get their exact counterparts (distinct count,
 * exact quantile, exact top-k counts) so that tests can bound the sketches' error.
 */
public final class NaiveAggregator {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

  private final CompiledGroupBy g;

  public NaiveAggregator(CompiledGroupBy g) {
    this.g = g;
  }

  /** The DESIGN.md window start, written out again on purpose (not calling Windows). */
  public static long windowStart(long t, long w) {
    long hop = w < 12 * HOUR ? 5 * MINUTE : w < 12 * DAY ? HOUR : DAY;
    return Math.floorDiv(t - w, hop) * hop;
  }

  /** Feature name -> value as of {@code t}, from one entity's rows (any order). */
  public Map<String, Object> valuesAt(List<Row> rows, long t) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Feature f : g.features()) {
      long start = f.isLifetime() ? Long.MIN_VALUE : windowStart(t, f.window().millis());
      List<Row> in = rows.stream().filter(r -> r.ts() < t && r.ts() >= start).toList();
      out.put(f.name(), value(g.aggregator().column(f.column()), in));
    }
    return out;
  }

  /** The non-null input values of {@code feature} in its window as of {@code t}. */
  public List<Object> windowValues(List<Row> rows, long t, Feature feature) {
    long start = feature.isLifetime() ? Long.MIN_VALUE : windowStart(t, feature.window().millis());
    int i = g.aggregator().column(feature.column()).inputIndex();
    return rows.stream().filter(r -> r.ts() < t && r.ts() >= start && r.get(i) != null).map(r -> r.get(i)).toList();
  }

  private Object value(AggColumn c, List<Row> rows) {
    List<Row> usable = rows.stream().filter(r -> r.get(c.inputIndex()) != null).toList();
    if (c.bucket() == null) return compute(c, usable);
    int b = g.schema().indexOf(c.bucket());
    Map<String, List<Row>> byBucket = new TreeMap<>();
    for (Row r : usable) {
      if (r.get(b) != null) byBucket.computeIfAbsent(String.valueOf(r.get(b)), x -> new ArrayList<>()).add(r);
    }
    Map<String, Object> out = new TreeMap<>();
    byBucket.forEach((k, rs) -> out.put(k, compute(c, rs)));
    return out;
  }

  private Object compute(AggColumn c, List<Row> rows) {
    Operation op = c.aggregation().operation();
    Map<String, String> args = c.aggregation().args();
    int i = c.inputIndex();
    List<Object> values = rows.stream().map(r -> r.get(i)).toList();
    boolean integral = c.inputType().isIntegral();
    return switch (op) {
      case COUNT -> (long) values.size();
      case SUM -> values.isEmpty() ? null : integral ? values.stream().mapToLong(v -> (Long) v).sum() : exactSum(values).doubleValue();
      case AVG -> values.isEmpty() ? null : exactSum(values).divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128).doubleValue();
      case MIN -> values.stream().min(Values::compare).orElse(null);
      case MAX -> values.stream().max(Values::compare).orElse(null);
      case VARIANCE, STDDEV, SKEW, KURTOSIS -> moment(op, values);
      case FIRST -> sortedByTime(rows, i).stream().findFirst().orElse(null);
      case LAST -> sortedByTime(rows, i).reversed().stream().findFirst().orElse(null);
      case FIRST_K -> nullIfEmpty(sortedByTime(rows, i).stream().limit(OperationArgs.k(op, args)).toList());
      case LAST_K -> nullIfEmpty(sortedByTime(rows, i).reversed().stream().limit(OperationArgs.k(op, args)).toList());
      case TOP_K -> nullIfEmpty(values.stream().sorted(Comparator.comparing(v -> v, Values::compare).reversed()).limit(OperationArgs.k(op, args)).toList());
      case BOTTOM_K -> nullIfEmpty(values.stream().sorted(Values::compare).limit(OperationArgs.k(op, args)).toList());
      case UNIQUE_COUNT, APPROX_UNIQUE_COUNT -> (long) new HashSet<>(values).size();
      case BOUNDED_UNIQUE_COUNT -> (long) Math.min(new HashSet<>(values).size(), OperationArgs.k(op, args));
      case HISTOGRAM -> counts(values);
      case APPROX_HISTOGRAM_K -> topCounts(values, OperationArgs.k(op, args));
      case APPROX_PERCENTILE -> quantiles(values, OperationArgs.percentiles(args.get("percentiles")));
    };
  }

  private static BigDecimal exactSum(List<Object> values) {
    BigDecimal s = BigDecimal.ZERO;
    for (Object v : values) s = s.add(v instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal((Double) v));
    return s;
  }

  /** Two passes: exact mean, then central moments of the deviations. */
  private static Double moment(Operation op, List<Object> values) {
    if (values.isEmpty()) return null;
    int n = values.size();
    double mean = exactSum(values).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
    double m2 = 0, m3 = 0, m4 = 0;
    for (Object v : values) {
      double d = Values.toDouble(v) - mean;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    boolean allEqual = values.stream().map(Values::toDouble).distinct().count() == 1;
    double variance = allEqual ? 0 : m2 / n;
    return switch (op) {
      case VARIANCE -> variance;
      case STDDEV -> Math.sqrt(variance);
      case SKEW -> allEqual ? null : (m3 / n) / Math.pow(m2 / n, 1.5);
      case KURTOSIS -> allEqual ? null : (m4 / n) / Math.pow(m2 / n, 2) - 3;
      default -> throw new IllegalArgumentException(op.name());
    };
  }

  private static List<Object> sortedByTime(List<Row> rows, int i) {
    return rows.stream()
        .sorted(Comparator.comparingLong(Row::ts).thenComparing(r -> r.get(i), Values::compare))
        .map(r -> r.get(i)).collect(Collectors.toCollection(ArrayList::new));
  }

  private static List<Object> nullIfEmpty(List<Object> l) {
    return l.isEmpty() ? null : l;
  }

  private static Map<String, Long> counts(List<Object> values) {
    Map<String, Long> out = new TreeMap<>();
    values.forEach(v -> out.merge(String.valueOf(v), 1L, Long::sum));
    return out;
  }

  private static Map<String, Long> topCounts(List<Object> values, int k) {
    Map<String, Long> all = counts(values);
    Map<String, Long> out = new LinkedHashMap<>();
    all.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(k).forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Exact quantiles with the KLL INCLUSIVE rule: the smallest value whose rank covers q * n. */
  private static List<Double> quantiles(List<Object> values, double[] qs) {
    if (values.isEmpty()) return null;
    double[] sorted = values.stream().mapToDouble(Values::toDouble).sorted().toArray();
    List<Double> out = new ArrayList<>();
    for (double q : qs) {
      int rank = (int) Math.ceil(q * sorted.length);
      out.add(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }
    return out;
  }

  /** Exact count of distinct values per key, for checking sketches: value -> count. */
  public static Map<Object, Long> frequencies(List<Object> values) {
    Map<Object, Long> m = new HashMap<>();
    values.forEach(v -> m.merge(v, 1L, Long::sum));
    return m;
  }
}
