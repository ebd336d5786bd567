package dev.tessera.agg.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.agg.testkit.Seeds;
import dev.tessera.agg.tile.OnlineResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md's central promise on random event streams: for any entity and any t in [B, B + 1 day),
 * online merge (batch IR at B + tiles) == point-in-time value at t == naive oracle at t. Exact
 * operations follow the comparison rule of the reference vectors; sketches are compared with
 * their exact counterparts within documented error, and online and point-in-time are identical
 * while the sketches are below capacity (here they always are).
 */
class CentralPromiseTest {
  private static final long DAY = 86_400_000L;
  private static final long START = 1_717_200_000_000L - 1_717_200_000_000L % DAY; // 2024-06-01

  static final CompiledGroupBy GROUP_BY = load("/definitions/every_operation.yaml");

  static CompiledGroupBy load(String resource) {
    try (var in = CentralPromiseTest.class.getResourceAsStream(resource)) {
      return GroupByCompiler.compile(new String(in.readAllBytes(), StandardCharsets.UTF_8)).orThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static LongStream seeds() {
    return Seeds.of(40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void onlineEqualsPointInTimeEqualsOracle(long seed) {
    CompiledGroupBy g = GROUP_BY;
    EventGenerator gen = new EventGenerator(seed);
    List<Map<String, Object>> events = gen.purchases(6, 1200, START, START + 40 * DAY);
    long batchEnd = START + (20 + gen.random().nextInt(19)) * DAY;
    long[] times = queryTimes(gen, batchEnd);

    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, events);
    NaiveAggregator oracle = new NaiveAggregator(g);
    PointInTime pit = new PointInTime(g);
    List<String> failures = new ArrayList<>();
    rows.forEach((key, entityRows) -> {
      List<Object[]> pitValues = pit.compute(entityRows, times);
      for (int i = 0; i < times.length; i++) {
        long t = times[i];
        Map<String, Object> expected = oracle.valuesAt(entityRows, t);
        Map<String, Object> pointInTime = Entities.named(g, pitValues.get(i));
        OnlineResult online = Entities.online(g, entityRows, batchEnd, t);
        String where = "seed " + seed + " key " + key + " B=" + batchEnd + " t=" + t + " (B+" + (t - batchEnd) + "ms) ";
        for (Feature f : g.features()) {
          Operation op = g.aggregator().column(f.column()).aggregation().operation();
          Object want = expected.get(f.name());
          Object viaPit = pointInTime.get(f.name());
          Object viaOnline = online.features().get(f.name());
          if (op == Operation.APPROX_PERCENTILE) {
            percentiles(failures, where + f.name(), oracle.windowValues(entityRows, t, f), want, viaPit, viaOnline);
          } else if (op.name().startsWith("APPROX_")) {
            approximately(failures, where + f.name(), op, want, viaPit, viaOnline);
          } else {
            add(failures, where + f.name() + " point-in-time: ", FeatureComparison.difference(want, viaPit, FeatureComparison.tolerance(op)));
            add(failures, where + f.name() + " online: ", FeatureComparison.difference(want, viaOnline, FeatureComparison.tolerance(op)));
          }
        }
        assertThat(online.stale()).isFalse();
      }
    });
    assertThat(failures).isEmpty();
  }

  /** Boundaries of the batch day and of tiles and hops, plus random times. */
  private static long[] queryTimes(EventGenerator gen, long b) {
    List<Long> t = new ArrayList<>(List.of(b, b + 1, b + 299_999, b + 300_000, b + 3_600_000, b + 43_200_000, b + DAY - 1));
    for (int i = 0; i < 13; i++) t.add(gen.nextLong(b, b + DAY));
    return t.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /**
   * KLL (k = 200) is exact and order-independent up to k values; beyond, each returned value's
   * rank must be within the sketch's documented normalized rank error (taken twice, for margin).
   */
  private static void percentiles(List<String> failures, String where, List<Object> window, Object exact, Object viaPit, Object viaOnline) {
    if (window.size() <= 200) {
      add(failures, where + " point-in-time: ", FeatureComparison.difference(exact, viaPit, 0));
      add(failures, where + " online: ", FeatureComparison.difference(exact, viaOnline, 0));
      return;
    }
    double[] sorted = window.stream().mapToDouble(v -> (Double) v).sorted().toArray();
    double eps = 2 * KllSketch.getNormalizedRankError(200, false);
    double[] qs = {0.5, 0.9};
    for (Object result : List.of(viaPit, viaOnline)) {
      List<?> values = (List<?>) result;
      for (int i = 0; i < qs.length; i++) {
        double v = (Double) values.get(i);
        long below = java.util.Arrays.stream(sorted).filter(x -> x < v).count();
        long atOrBelow = java.util.Arrays.stream(sorted).filter(x -> x <= v).count();
        double lo = (double) below / sorted.length;
        double hi = (double) atOrBelow / sorted.length;
        if (qs[i] < lo - eps || qs[i] > hi + eps) {
          failures.add(where + " q=" + qs[i] + " value " + v + " has rank [" + lo + ", " + hi + "], outside +-" + eps);
        }
      }
    }
  }

  private static void approximately(List<String> failures, String where, Operation op, Object exact, Object viaPit, Object viaOnline) {
    if (op == Operation.APPROX_HISTOGRAM_K) {
      // fewer distinct values than the sketch's map holds: counts are exact and order-independent
      add(failures, where + " point-in-time: ", FeatureComparison.difference(exact, viaPit, 0));
      add(failures, where + " online: ", FeatureComparison.difference(exact, viaOnline, 0));
    } else {
      long e = (Long) exact;
      long p = (Long) viaPit;
      if (Math.abs(p - e) > Math.max(1, 0.05 * e)) failures.add(where + " estimate " + p + " vs exact " + e);
      add(failures, where + " online vs point-in-time: ", FeatureComparison.difference(viaPit, viaOnline, 0));
    }
  }

  private static void add(List<String> failures, String prefix, String difference) {
    if (difference != null) failures.add(prefix + difference);
  }
}
