package dev.tessera.batch.testing;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.NaiveAggregator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the tests compare the jobs' output with: the common-agg oracle, and the comparison rule. */
public final class Oracle {
  private final CompiledGroupBy g;
  private final NaiveAggregator naive;
  private final Map<String, Operation> operations = new LinkedHashMap<>();

  public Oracle(CompiledGroupBy g) {
    this.g = g;
    this.naive = new NaiveAggregator(g);
    for (Feature f : g.features()) operations.put(f.name(), g.aggregator().column(f.column()).aggregation().operation());
  }

  public Map<String, Object> valuesAt(List<Row> rows, long t) {
    return naive.valuesAt(rows, t);
  }

  /** True when an entity with {@code rows} has any event inside some window as of {@code t} (written out again, on purpose). */
  public boolean hasRowAt(List<Row> rows, long t) {
    long start = Long.MAX_VALUE;
    for (Feature f : g.features()) {
      start = Math.min(start, f.isLifetime() ? Long.MIN_VALUE : NaiveAggregator.windowStart(t, f.window().millis()));
    }
    long from = start;
    return rows.stream().anyMatch(r -> r.ts() >= from && r.ts() < t);
  }

  /** Mismatches of {@code actual} (feature name -> value read back) against the oracle, as text. */
  public List<String> mismatches(Map<String, Object> expected, Map<String, Object> actual) {
    return FeatureComparison.mismatches(expected, actual, operations);
  }

  public List<String> featureNames() {
    List<String> out = new ArrayList<>();
    g.features().forEach(f -> out.add(f.name()));
    return out;
  }
}
