package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.fetcher.store.StoreRead;
import dev.tessera.fetcher.store.StoreRequest;
import dev.tessera.fetcher.store.StoredEntity;
import dev.tessera.support.LiveGroupBy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planning step both fetches share: the reads of one round trip, each distinct entity once. */
class PartPlanTest {
  static final CompiledGroupBy USERS = groupBy("users", "user_id");
  static final CompiledGroupBy SHOPS = groupBy("shops", "shop_id");

  static CompiledGroupBy groupBy(String name, String key) {
    return GroupByCompiler.compile("""
        name: %s
        keys: [%s]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: {%s: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: SUM, windows: [1h]}]
        """.formatted(name, key, key)).orThrow();
  }

  @Test
  void aGroupByFetchIsAOnePartPlanReadingEachKeyOnceInRequestOrder() {
    PartPlan plan = PartPlan.of(new LiveGroupBy(new PublishedGroupBy("users", 3, USERS.definition(), Instant.EPOCH, "t"), USERS));
    List<List<Object>> keys = List.of(List.of("b"), List.of("a"), List.of("b"));
    List<StoreRequest> requests = plan.plan(keys.size(), (row, part) -> keys.get(row)).requests();
    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(r.groupBy()).isEqualTo("users");
      assertThat(r.version()).isEqualTo(3);
      assertThat(r.keys()).containsExactly(List.of("b"), List.of("a"));
    });
  }

  @Test
  void joinPartsOnOneGroupByVersionShareOneReadAndTheirEntities() {
    Join j = Join.builder("model").online(true)
        .left(new LeftSource("checkouts", "ts", Map.of("buyer", DataType.Primitive.STRING, "seller", DataType.Primitive.STRING,
            "shop", DataType.Primitive.STRING, "ts", DataType.Primitive.LONG)))
        .part("users", Map.of("buyer", "user_id"), "buyer")
        .part("users", Map.of("seller", "user_id"), "seller")
        .part("shops", Map.of("shop", "shop_id"), "shop").build();
    Map<String, CompiledGroupBy> groupBys = Map.of("users", USERS, "shops", SHOPS);
    CompiledJoin join = JoinCompiler.compile(j, (name, version) -> new GroupByResolver.Found(1, groupBys.get(name))).orThrow();
    PartPlan plan = PartPlan.of(join.parts());
    assertThat(plan.parts()).isEqualTo(3);
    assertThat(plan.groups()).extracting(PartPlan.Group::groupBy).containsExactly("users", "shops");

    // row 0: u1 buys from u2 at s1; row 1: u2 buys from u1 at s1
    List<Map<String, Object>> rows = List.of(Map.of("buyer", "u1", "seller", "u2", "shop", "s1"),
        Map.of("buyer", "u2", "seller", "u1", "shop", "s1"));
    List<StoreRequest> requests = plan.plan(rows.size(), (r, p) -> join.parts().get(p).keyOf(rows.get(r)::get)).requests();
    assertThat(requests).extracting(StoreRequest::groupBy).containsExactly("users", "shops");
    assertThat(requests.get(0).keys()).as("buyer and seller read once each, across rows").containsExactly(List.of("u1"), List.of("u2"));
    assertThat(requests.get(1).keys()).containsExactly(List.of("s1"));
  }

  /**
   * A plan reads whole hashes until a read has told it the upload marker and that the hashes are
   * hash tables; then it reads the selection as of the fetch time, planned with that marker; after a
   * read that saw listpacks it reads whole again.
   */
  @Test
  void aSelectionIsReadOnceAReadSawTheMarkerAndHashTables() {
    PartPlan plan = PartPlan.of(new LiveGroupBy(new PublishedGroupBy("users", 1, USERS.definition(), Instant.EPOCH, "t"), USERS));
    long b = 20_000L * 86_400_000L, t = b + 5 * 3_600_000L + 60_000;
    List<List<Object>> keys = List.of(List.of("a"));
    PartPlan.Reads first = plan.plan(1, (row, part) -> keys.get(row));
    assertThat(first.requests(t).getFirst().selection()).as("nothing known yet").isNull();
    StoredEntity empty = new StoredEntity(null, null, null);
    first.outcome(List.of(new StoreRead(b, null, List.of(empty), false)), 0, 0, t);

    PartPlan.Reads second = plan.plan(1, (row, part) -> keys.get(row));
    TileSelection selection = second.requests(t).getFirst().selection();
    assertThat(selection).isNotNull();
    assertThat(selection.batchEnd()).isEqualTo(b);
    assertThat(selection.rollupStarts()).containsExactly(b + 4 * 3_600_000L); // the 1h window reaches back to b + 4h
    second.outcome(List.of(new StoreRead(b, null, List.of(empty), true)), 0, 0, t);

    assertThat(plan.plan(1, (row, part) -> keys.get(row)).requests(t).getFirst().selection()).as("listpacks are read whole").isNull();
  }
}
