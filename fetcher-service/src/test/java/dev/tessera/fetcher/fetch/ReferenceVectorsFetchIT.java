package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.agg.testkit.ReferenceVectors;
import dev.tessera.agg.window.Windows;
import dev.tessera.fetcher.FetcherIT;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.JsonKinds;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The central promise through the real service: for every reference vector query (keys, t), the
 * batch IR an upload at {@code B = floor(t / 1 day) * 1 day} writes and the tiles of {@code [B, t)}
 * go into Redis through common-agg's encodings, the fetcher serves {@code atMillis=t} over HTTP,
 * and the values equal both the vector's expected values (computed independently of Tessera) and
 * the NaiveAggregator oracle, with LONG results as JSON integers and DOUBLE results as JSON floats.
 */
class ReferenceVectorsFetchIT extends FetcherIT {
  static final long DAY = 24 * 60 * 60_000L;

  static List<ReferenceVectors> vectors() {
    return ReferenceVectors.all();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void servedValuesEqualTheVectorsAndTheOracle(ReferenceVectors v) {
    CompiledGroupBy g = TestGroupBys.renamed(v.groupBy().definition(), TestGroupBys.uniqueName("it_vec"));
    publish(g, 1);
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, v.events());
    NaiveAggregator oracle = new NaiveAggregator(g);
    Map<String, Operation> ops = new HashMap<>();
    for (Feature f : g.features()) ops.put(f.name(), g.aggregator().column(f.column()).aggregation().operation());

    Map<Long, List<ReferenceVectors.Query>> byTime = new TreeMap<>();
    v.queries().forEach(q -> byTime.computeIfAbsent(q.t(), t -> new ArrayList<>()).add(q));
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (var e : byTime.entrySet()) {
      long t = e.getKey();
      long b = Windows.floor(t, DAY);
      List<ReferenceVectors.Query> queries = e.getValue();
      redis.setUploadMarker(g.name(), 1, b);
      for (List<Object> key : new LinkedHashSet<>(queries.stream().map(q -> Entities.key(g, q.keys())).toList())) {
        redis.write(g.name(), 1, key, EncodedEntity.of(g, rows.getOrDefault(key, List.of()), b, t));
      }
      JsonNode results = post(g.name(), Json.MAPPER.writeValueAsString(queries.stream().map(ReferenceVectors.Query::keys).toList()), t)
          .get("results");
      assertThat(results.size()).isEqualTo(queries.size());
      for (int i = 0; i < queries.size(); i++) {
        ReferenceVectors.Query q = queries.get(i);
        JsonNode r = results.get(i);
        String where = q.keys() + " t=" + t + " ";
        if (!"Success".equals(r.path("status").asString())) {
          failures.add(where + "not a success: " + r);
          continue;
        }
        assertThat(Json.toJava(r.get("entityKeys"))).isEqualTo(q.keys());
        JsonNode meta = r.get("meta");
        assertThat(meta.get("version").asInt()).isEqualTo(1);
        assertThat(meta.get("asOf").asLong()).isEqualTo(t);
        assertThat(meta.get("batchEnd").asLong()).isEqualTo(b);
        assertThat(meta.get("stale").asBoolean()).isFalse();
        Map<String, Object> served = features(r);
        FeatureComparison.mismatches(q.features(), served, ops).forEach(m -> failures.add(where + "vector " + m));
        List<Row> entityRows = rows.getOrDefault(Entities.key(g, q.keys()), List.of());
        FeatureComparison.mismatches(oracle.valuesAt(entityRows, t), served, ops).forEach(m -> failures.add(where + "oracle " + m));
        for (Feature f : g.features()) JsonKinds.check(r.get("features").get(f.name()), f.type(), where + f.name(), failures);
        compared++;
      }
    }
    assertThat(failures).as("mismatches of %s", v).isEmpty();
    assertThat(compared).isEqualTo(v.queries().size());
  }
}
