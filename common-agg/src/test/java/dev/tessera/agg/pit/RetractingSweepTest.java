package dev.tessera.agg.pit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.agg.testkit.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retracting fast path of point-in-time against the naive oracle: windows whose operations
 * are all reversible (SUM of doubles and longs, COUNT, AVG, HISTOGRAM), on the generator's
 * adversarial streams and on amounts spanning twelve orders of magnitude, where retracting a huge
 * value next to tiny ones is where rounding would show.
 */
class RetractingSweepTest {
  private static final long DAY = 86_400_000L;
  private static final long START = 1_717_200_000_000L - 1_717_200_000_000L % DAY;

  static final CompiledGroupBy REVERSIBLE = GroupByCompiler.compile("""
      name: reversible_only
      keys: [user_id]
      sources: [{events: {table: purchases, schema: %s, query: {timeColumn: ts}}}]
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [5m, 1h, 1d, 7d]}
        - {inputColumn: qty, operation: SUM, windows: [1h, 7d]}
        - {inputColumn: amount, operation: COUNT, windows: [5m, 1h, 1d, 7d]}
        - {inputColumn: amount, operation: AVG, windows: [1h, 1d, 7d]}
        - {inputColumn: merchant, operation: HISTOGRAM, windows: [1d, 7d]}
        - {inputColumn: amount, operation: SUM}
      """.formatted(EventGenerator.SCHEMA_YAML)).orThrow();

  static LongStream seeds() {
    return Seeds.of(30);
  }

  @Test
  void everyWindowedGroupOfReversibleOperationsTakesTheRetractingPath() {
    for (WindowGroup g : REVERSIBLE.windowGroups()) {
      assertThat(REVERSIBLE.aggregator().isReversible(g.columns())).as("window %d", g.millis()).isTrue();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void generatedStreamsMatchTheOracle(long seed) {
    EventGenerator gen = new EventGenerator(seed);
    assertMatchesOracle(gen.purchases(5, 1500, START, START + 30 * DAY), seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void amountsOfEveryMagnitudeMatchTheOracle(long seed) {
    Random r = new Random(seed);
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("user_id", "u" + r.nextInt(2));
      e.put("merchant", "m" + r.nextInt(4));
      // mostly cents to thousands, now and then 1e9, with a fractional part that rounds in binary
      double magnitude = r.nextInt(20) == 0 ? 1e9 : Math.pow(10, r.nextInt(7) - 3);
      e.put("amount", r.nextInt(10) == 0 ? null : (r.nextDouble() * magnitude + 0.1) * (r.nextBoolean() ? 1 : -1));
      e.put("qty", (long) r.nextInt(1000) - 500);
      e.put("currency", "USD");
      // dense bursts so that 1d and 7d windows hold hundreds of events and retract thousands
      e.put("ts", START + (long) (r.nextDouble() * 20 * DAY));
      events.add(e);
    }
    assertMatchesOracle(events, seed);
  }

  private static void assertMatchesOracle(List<Map<String, Object>> events, long seed) {
    CompiledGroupBy g = REVERSIBLE;
    NaiveAggregator oracle = new NaiveAggregator(g);
    PointInTime pit = new PointInTime(g);
    List<String> failures = new ArrayList<>();
    Entities.rowsByKey(g, events).forEach((key, rows) -> {
      // one query per event (a training set) plus a query after the last event
      long[] times = LongStream.concat(rows.stream().mapToLong(Row::ts), LongStream.of(rows.getLast().ts() + 1)).toArray();
      List<Object[]> values = pit.compute(rows, times);
      for (int i = 0; i < times.length; i++) {
        Map<String, Object> expected = oracle.valuesAt(rows, times[i]);
        Map<String, Object> actual = Entities.named(g, values.get(i));
        for (Feature f : g.features()) {
          Operation op = g.aggregator().column(f.column()).aggregation().operation();
          String d = FeatureComparison.difference(expected.get(f.name()), actual.get(f.name()), FeatureComparison.tolerance(op));
          if (d != null) failures.add("seed " + seed + " key " + key + " t=" + times[i] + " " + f.name() + ": " + d);
        }
      }
    });
    assertThat(failures).isEmpty();
  }
}
