package dev.tessera.fetcher.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.window.Windows;
import dev.tessera.fetcher.FetcherIT;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.JsonKinds;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Join's central promise through the real service (DESIGN-joins.md "Reference vectors"): for
 * every left row of {@code join_fraud_model.json} with {@code online: true}, the three GroupBys'
 * Redis state is what the pipelines would have written for {@code t = ts} (a batch IR uploaded as
 * of the day before from the events before {@code B = floor(t / 1 day) * 1 day}, the streaming
 * tiles of the events in {@code [B, t)}), the fetcher serves the Join at {@code atMillis = t} over
 * HTTP for the row's key columns and request fields, and every expected column (request fields,
 * the parts' features, derivations) matches under the vectors' comparison rule.
 */
class ReferenceJoinVectorsFetchIT extends FetcherIT {
  static final long DAY = 24 * 60 * 60_000L;

  @Test
  void everyOnlineRowServedAtItsTimeEqualsTheVectors() throws IOException {
    JsonNode root;
    try (InputStream in = ReferenceJoinVectorsFetchIT.class.getResourceAsStream("/vectors/join_fraud_model.json")) {
      assertThat(in).as("test resource /vectors/join_fraud_model.json (common-agg's testkit)").isNotNull();
      root = Json.MAPPER.readTree(in);
    }
    // the vectors' GroupBys under names of this run; parts without a prefix keep their output names by taking the old name as prefix
    Map<String, CompiledGroupBy> renamed = new HashMap<>();
    for (JsonNode g : root.get("groupBys").values()) {
      var definition = GroupByReader.read(g).groupBy();
      CompiledGroupBy c = TestGroupBys.renamed(definition, TestGroupBys.uniqueName("it_jv"));
      renamed.put(definition.name(), c);
      publish(c, 1);
    }
    Join vectors = JoinReader.read(root.get("join")).join();
    List<JoinPart> parts = vectors.parts().stream().map(p -> new JoinPart(renamed.get(p.groupBy()).name(), null, p.keyMapping(),
        p.prefix() == null ? p.groupBy() : p.prefix())).toList();
    Join join = new Join(TestGroupBys.uniqueName("it_jvec"), vectors.team(), vectors.description(), true, vectors.left(), parts,
        vectors.request(), vectors.derivations());
    publish(join, 1);
    CompiledJoin compiled = JoinCompiler.compile(join, (name, version) -> renamed.values().stream().filter(g -> g.name().equals(name))
        .findFirst().<GroupByResolver.Resolution>map(g -> new GroupByResolver.Found(1, g)).orElseThrow()).orThrow();

    List<Map<String, Object>> events = new ArrayList<>();
    root.get("events").get("purchases").values().forEach(e -> events.add(Json.toMap(e)));
    List<Map<List<Object>, List<Row>>> rowsByPart = compiled.parts().stream().map(p -> Entities.rowsByKey(p.groupBy(), events)).toList();
    Map<String, Operation> ops = new HashMap<>();
    for (OutputColumn c : compiled.featureColumns()) {
      CompiledGroupBy g = compiled.parts().get(c.part()).groupBy();
      Feature f = g.features().stream().filter(x -> x.name().equals(c.feature())).findFirst().orElseThrow();
      ops.put(c.name(), g.aggregator().column(f.column()).aggregation().operation());
    }
    List<String> fields = new ArrayList<>(new LinkedHashSet<>(compiled.keyColumns()));
    compiled.requestColumns().forEach(c -> { if (!fields.contains(c.name())) fields.add(c.name()); });

    Map<Long, List<JsonNode>> byTime = new TreeMap<>();
    for (JsonNode r : root.get("left").values()) {
      if (r.get("online").asBoolean()) byTime.computeIfAbsent(r.get(join.left().timeColumn()).asLong(), t -> new ArrayList<>()).add(r);
    }
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (var e : byTime.entrySet()) {
      long t = e.getKey();
      long b = Windows.floor(t, DAY);
      List<Map<String, Object>> request = new ArrayList<>();
      for (JsonNode r : e.getValue()) {
        Map<String, Object> row = new LinkedHashMap<>();
        fields.forEach(f -> row.put(f, Json.toJava(r.get(f))));
        request.add(row);
        for (var part : compiled.parts()) {
          CompiledGroupBy g = part.groupBy();
          redis.setUploadMarker(g.name(), 1, b);
          List<Object> key = part.keyOf(row::get);
          redis.write(g.name(), 1, key, EncodedEntity.of(g, rowsByPart.get(part.index()).getOrDefault(key, List.of()), b, t));
        }
      }
      JsonNode results = postJoin(join.name(), Json.MAPPER.writeValueAsString(request), t).get("results");
      assertThat(results.size()).isEqualTo(request.size());
      for (int i = 0; i < request.size(); i++) {
        JsonNode r = results.get(i);
        String where = "row_id " + e.getValue().get(i).get("row_id").asLong() + " t=" + t + " ";
        if (!"Success".equals(r.path("status").asString())) {
          failures.add(where + "not a success: " + r);
          continue;
        }
        assertThat(r.get("meta").get("joinVersion").asInt()).isEqualTo(1);
        assertThat(r.get("meta").get("asOf").asLong()).isEqualTo(t);
        for (var part : compiled.parts()) {
          JsonNode meta = r.get("meta").get("parts").get(part.name());
          assertThat(meta.get("groupBy").asString()).isEqualTo(part.groupBy().name());
          assertThat(meta.get("version").asInt()).isEqualTo(1);
          assertThat(meta.get("batchEnd").asLong()).isEqualTo(b);
          assertThat(meta.get("stale").asBoolean()).isFalse();
        }
        Map<String, Object> served = features(r);
        Map<String, Object> expected = Json.toMap(e.getValue().get(i).get("expected"));
        assertThat(served.keySet()).as(where + "columns").containsExactlyElementsOf(
            compiled.outputColumns().stream().map(OutputColumn::name).toList());
        FeatureComparison.mismatches(expected, served, ops).forEach(m -> failures.add(where + m));
        for (OutputColumn c : compiled.outputColumns()) {
          JsonKinds.check(r.get("features").get(c.name()), c.type(), where + c.name(), failures);
        }
        compared++;
      }
    }
    assertThat(failures).isEmpty();
    assertThat(compared).isEqualTo(577);
  }
}
