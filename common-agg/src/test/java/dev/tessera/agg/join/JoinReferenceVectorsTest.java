package dev.tessera.agg.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.window.Windows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Join is right when its rows reproduce every expected column of {@code join_fraud_model.json}
 * (computed by an implementation of DESIGN-joins.md that shares no code with Tessera): offline, the
 * parts' features by point-in-time aggregation of the raw events (null key: every feature of the
 * part null), request fields and derivations by {@link CompiledJoin#row}; online (rows with
 * {@code online: true}), the parts' features as the fetcher merges them at {@code t = ts} from a
 * batch IR uploaded at the start of ts's day and that day's tiles before ts.
 */
class JoinReferenceVectorsTest {
  static final String FILE = "join_fraud_model.json";
  private static final long DAY = 24 * 3_600_000L;

  record LeftRow(Map<String, Object> columns, long rowId, long ts, Map<String, Object> expected, boolean online) {}

  static CompiledJoin join;
  static List<LeftRow> left;
  static List<Map<String, Object>> events;
  /** Per part: the accepted rows of each entity, sorted by time. */
  static List<Map<List<Object>, List<Row>>> rowsByPart;

  @BeforeAll
  static void load() throws IOException {
    JsonNode root;
    try (InputStream in = JoinReferenceVectorsTest.class.getResourceAsStream("/vectors/" + FILE)) {
      assertThat(in).as("test resource /vectors/" + FILE).isNotNull();
      root = Json.MAPPER.readTree(in);
    }
    Map<String, CompiledGroupBy> groupBys = new HashMap<>();
    for (JsonNode g : root.get("groupBys").values()) {
      CompiledGroupBy c = GroupByCompiler.compile(GroupByReader.read(g)).orThrow();
      groupBys.put(c.name(), c);
    }
    JoinParseResult parsed = JoinReader.read(root.get("join"));
    assertThat(parsed.problems()).isEmpty();
    join = JoinCompiler.compile(parsed.join(), UnitTestGroupBys.of(groupBys)).orThrow();
    events = new ArrayList<>();
    root.get("events").get("purchases").values().forEach(e -> events.add(Json.toMap(e)));
    left = new ArrayList<>();
    for (JsonNode r : root.get("left").values()) {
      Map<String, Object> columns = Json.toMap(r);
      Map<String, Object> expected = Json.toMap(r.get("expected"));
      columns.remove("expected");
      columns.remove("online");
      left.add(new LeftRow(columns, r.get("row_id").asLong(), r.get(parsed.join().left().timeColumn()).asLong(),
          expected, r.get("online").asBoolean()));
    }
    rowsByPart = join.parts().stream().map(p -> Entities.rowsByKey(p.groupBy(), events)).toList();
  }

  @Test
  void theJoinHasExactlyTheVectorsColumnsInTheContractsOrder() {
    List<String> names = join.outputColumns().stream().map(OutputColumn::name).toList();
    assertThat(left).allSatisfy(r -> assertThat(new LinkedHashSet<>(names)).isEqualTo(r.expected().keySet()));
    assertThat(names).startsWith("amount_now", "channel", "buyer_amount_sum_1h").endsWith("amount_vs_avg", "pair_share",
        "new_pair", "web_count");
  }

  @Test
  void trainingSetRowsReproduceEveryExpectedColumn() {
    // per part, point-in-time values for every left row: entity by entity, query times ascending
    List<Map<Long, Map<String, Object>>> featuresByRow = new ArrayList<>();
    for (CompiledPart part : join.parts()) {
      Map<Long, Map<String, Object>> byRow = new HashMap<>();
      Map<List<Object>, List<LeftRow>> byEntity = new LinkedHashMap<>();
      for (LeftRow r : left) {
        List<Object> key = part.keyOf(r.columns()::get);
        if (key != null) byEntity.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        // a null key leaves the row out of byRow: features of an unknown entity
      }
      PointInTime pit = new PointInTime(part.groupBy());
      byEntity.forEach((key, rows) -> {
        rows.sort(Comparator.comparingLong(LeftRow::ts));
        long[] times = rows.stream().mapToLong(LeftRow::ts).toArray();
        List<Object[]> values = pit.compute(rowsByPart.get(part.index()).getOrDefault(key, List.of()), times);
        for (int i = 0; i < rows.size(); i++) byRow.put(rows.get(i).rowId(), Entities.named(part.groupBy(), values.get(i)));
      });
      featuresByRow.add(byRow);
    }
    List<String> failures = new ArrayList<>();
    for (LeftRow r : left) {
      List<Map<String, Object>> parts = featuresByRow.stream().map(m -> m.get(r.rowId())).toList();
      compare(failures, "training set", r, join.row(r.columns()::get, parts));
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void onlineRowsReproduceEveryExpectedColumn() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (LeftRow r : left) {
      if (!r.online()) continue;
      checked++;
      List<Map<String, Object>> parts = new ArrayList<>();
      for (CompiledPart part : join.parts()) {
        List<Object> key = part.keyOf(r.columns()::get);
        assertThat(key).as("online rows have every key column").isNotNull();
        long batchEnd = Windows.floor(r.ts(), DAY);
        List<Row> rows = rowsByPart.get(part.index()).getOrDefault(key, List.of());
        parts.add(Entities.online(part.groupBy(), rows, batchEnd, r.ts()).features());
      }
      compare(failures, "online", r, join.row(r.columns()::get, parts));
    }
    assertThat(checked).isEqualTo(left.stream().filter(LeftRow::online).count()).isPositive();
    assertThat(failures).isEmpty();
  }

  @Test
  void theVectorsHoldRowsOfEveryKind() {
    assertThat(left).anyMatch(r -> r.columns().get("buyer") == null && !r.online());
    assertThat(left).anyMatch(r -> r.columns().get("amount_now") == null);
    assertThat(left).anyMatch(r -> Boolean.FALSE.equals(r.expected().get("new_pair")));
    assertThat(left).anyMatch(r -> r.expected().get("amount_vs_avg") instanceof Double);
  }

  @Test
  void copyOfTheVectorsMatchesTheSharedOriginal() throws IOException {
    Path shared = Path.of("..", "..", "shared", "vectors", FILE);
    Assumptions.assumeTrue(Files.isRegularFile(shared), "shared/vectors not next to this checkout");
    assertThat(Files.readAllBytes(Path.of("src/test/resources/vectors", FILE)))
        .as("%s differs from shared/vectors: copy the new version in", FILE)
        .isEqualTo(Files.readAllBytes(shared));
  }

  /** Every expected column under the vectors' rule: the operation's tolerance for features, 1e-9 for derived doubles. */
  private static void compare(List<String> failures, String path, LeftRow r, JoinRow row) {
    assertThat(row.derivationErrors()).as("derivation errors of row %s", r.rowId()).isZero();
    for (var e : r.expected().entrySet()) {
      String column = e.getKey();
      if (!row.values().containsKey(column)) {
        failures.add(path + " row " + r.rowId() + " " + column + ": missing");
        continue;
      }
      String d = ValueComparison.difference(e.getValue(), row.values().get(column), tolerance(column), false);
      if (d != null) failures.add(path + " row " + r.rowId() + " t=" + r.ts() + " " + column + ": " + d);
    }
  }

  private static double tolerance(String column) {
    for (OutputColumn c : join.featureColumns()) {
      if (c.name().equals(column)) {
        CompiledGroupBy g = join.parts().get(c.part()).groupBy();
        Feature f = g.features().stream().filter(x -> x.name().equals(c.feature())).findFirst().orElseThrow();
        Operation op = g.aggregator().column(f.column()).aggregation().operation();
        return FeatureComparison.tolerance(op);
      }
    }
    return ValueComparison.RELATIVE;
  }
}
