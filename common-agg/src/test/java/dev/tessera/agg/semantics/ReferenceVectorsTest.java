package dev.tessera.agg.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.agg.testkit.ReferenceVectors;
import dev.tessera.agg.window.Windows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window semantics are right when point-in-time backfill and the online merge both reproduce
 * every expected value of the reference vectors (computed independently of this code base).
 */
class ReferenceVectorsTest {

  static List<ReferenceVectors> vectors() {
    return ReferenceVectors.all();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void pointInTimeReproducesEveryExpectedValue(ReferenceVectors v) {
    CompiledGroupBy g = v.groupBy();
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, v.events());
    Map<List<Object>, List<ReferenceVectors.Query>> byKey = new HashMap<>();
    v.queries().forEach(q -> byKey.computeIfAbsent(Entities.key(g, q.keys()), k -> new ArrayList<>()).add(q));
    List<String> failures = new ArrayList<>();
    PointInTime pit = new PointInTime(g);
    byKey.forEach((key, queries) -> {
      queries.sort(java.util.Comparator.comparingLong(ReferenceVectors.Query::t));
      long[] times = queries.stream().mapToLong(ReferenceVectors.Query::t).toArray();
      List<Object[]> values = pit.compute(rows.getOrDefault(key, List.of()), times);
      for (int i = 0; i < queries.size(); i++) {
        check(failures, "point-in-time", key, queries.get(i), Entities.named(g, values.get(i)), g);
      }
    });
    assertThat(failures).as("mismatches of %s", v).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void onlineMergeOfBatchIrAndTilesReproducesEveryExpectedValue(ReferenceVectors v) {
    CompiledGroupBy g = v.groupBy();
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, v.events());
    List<String> failures = new ArrayList<>();
    for (ReferenceVectors.Query q : v.queries()) {
      List<Object> key = Entities.key(g, q.keys());
      long batchEnd = Windows.floor(q.t(), Windows.FIVE_MINUTES * 12 * 24);
      var result = Entities.online(g, rows.getOrDefault(key, List.of()), batchEnd, q.t());
      check(failures, "online", key, q, result.features(), g);
    }
    assertThat(failures).as("mismatches of %s", v).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void naiveOracleAgreesWithTheVectors(ReferenceVectors v) {
    CompiledGroupBy g = v.groupBy();
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, v.events());
    NaiveAggregator oracle = new NaiveAggregator(g);
    List<String> failures = new ArrayList<>();
    for (ReferenceVectors.Query q : v.queries()) {
      List<Object> key = Entities.key(g, q.keys());
      check(failures, "oracle", key, q, oracle.valuesAt(rows.getOrDefault(key, List.of()), q.t()), g);
    }
    assertThat(failures).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void copiesOfTheVectorsMatchTheSharedOriginals() throws Exception {
    Path shared = Path.of("..", "..", "shared", "vectors");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shared), "shared/vectors not next to this checkout");
    for (String file : ReferenceVectors.FILES) {
      assertThat(Files.readAllBytes(Path.of("src/test/resources/vectors", file)))
          .as("%s differs from shared/vectors: copy the new version in", file)
          .isEqualTo(Files.readAllBytes(shared.resolve(file)));
    }
  }

  private static void check(List<String> failures, String path, List<Object> key, ReferenceVectors.Query q,
      Map<String, Object> actual, CompiledGroupBy g) {
    Map<String, Operation> ops = new HashMap<>();
    for (Feature f : g.features()) ops.put(f.name(), g.aggregator().column(f.column()).aggregation().operation());
    for (String m : FeatureComparison.mismatches(q.features(), actual, ops)) {
      failures.add(path + " " + key + " t=" + q.t() + " " + m);
    }
  }
}
