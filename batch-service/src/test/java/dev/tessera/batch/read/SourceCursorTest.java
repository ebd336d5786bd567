package dev.tessera.batch.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming, grouping, merging and resuming over a real DuckDB file. */
class SourceCursorTest {
  static Warehouse warehouse;

  @BeforeAll
  static void open() throws SQLException {
    warehouse = Warehouse.duckDb(Path.of("target/unit-warehouses/" + UUID.randomUUID() + ".duckdb"), "256MB", 1, null, 3);
    try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE clicks (user_id VARCHAR, n DOUBLE, ts BIGINT)");
      // a: 3 rows, a rejected row of b (2.5 is not a LONG), c: only rejected rows, d: 2 rows, null keys last.
      s.execute("INSERT INTO clicks VALUES ('a', 1, 30), ('a', 2, 10), ('a', 3, 20), ('b', 2.5, 5), ('b', 1, 6),"
          + " ('c', 0.5, 1), ('c', 1, NULL), ('d', 4, 40), ('d', 5, 41), (NULL, 1, 2), (NULL, 2, 3), ('e', 7, 99)");
      s.execute("CREATE TABLE views (user_id VARCHAR, n BIGINT, ts BIGINT)");
      s.execute("INSERT INTO views VALUES ('a', 100, 15), ('c', 200, 16), ('z', 300, 17)");
    }
  }

  @AfterAll
  static void close() {
    warehouse.close();
  }

  static final CompiledGroupBy ONE = GroupByCompiler.compile("""
      name: clicks
      keys: [user_id]
      sources:
        - events:
            table: clicks
            schema: {user_id: STRING, n: LONG, ts: LONG}
            query: {timeColumn: ts}
      aggregations:
        - {inputColumn: n, operation: SUM}
      """).orThrow();

  EntityReader reader(CompiledGroupBy g, Long from, Long to, List<SourceCursor.State> resume) {
    return EventStreams.open(warehouse, g, SourcePlan.of(g), from, to, new Partition(0, 1), resume, null, 10);
  }

  static List<String> drain(EntityReader r) {
    List<String> out = new ArrayList<>();
    for (Entity e = r.next(); e != null; e = r.next()) {
      out.add(e.key().getFirst() + ":" + e.rows().stream().map(Row::ts).toList());
    }
    return out;
  }

  @Test
  void entitiesArriveWholeAndSortedWithRejectionsCounted() {
    try (EntityReader r = reader(ONE, null, null, null)) {
      assertThat(drain(r)).containsExactly("a:[10, 20, 30]", "b:[6]", "d:[40, 41]", "e:[99]");
      ReadStats s = r.states().getFirst().stats();
      assertThat(s.read()).isEqualTo(12);
      assertThat(s.accepted()).isEqualTo(7);
      assertThat(s.rejected()).isEqualTo(5);
      assertThat(s.reasons()).containsEntry("column 'n': expected LONG, got a number", 2L)
          .containsEntry("no event time: timeColumn 'ts' is null", 1L).containsEntry("key 'user_id' is null", 2L);
      assertThat(r.states().getFirst().exhausted()).isTrue();
    }
  }

  @Test
  void theTimeRangeIsHalfOpen() {
    try (EntityReader r = reader(ONE, 10L, 40L, null)) {
      assertThat(drain(r)).containsExactly("a:[10, 20, 30]");
    }
  }

  @Test
  void resumingFromAStateReadsEveryRowOnceAndCountsItOnce() {
    List<String> first = new ArrayList<>();
    List<SourceCursor.State> state;
    try (EntityReader r = reader(ONE, null, null, null)) {
      for (int i = 0; i < 2; i++) {
        Entity e = r.next();
        first.add(e.key().getFirst() + ":" + e.rows().stream().map(Row::ts).toList());
      }
      state = r.states();
      assertThat(state.getFirst().exhausted()).isFalse();
    }
    try (EntityReader r = reader(ONE, null, null, state)) {
      List<String> rest = drain(r);
      List<String> all = new ArrayList<>(first);
      all.addAll(rest);
      assertThat(all).containsExactly("a:[10, 20, 30]", "b:[6]", "d:[40, 41]", "e:[99]");
      ReadStats s = r.states().getFirst().stats();
      assertThat(s.read()).isEqualTo(12);
      assertThat(s.accepted()).isEqualTo(7);
      assertThat(s.rejected()).isEqualTo(5);
    }
  }

  @Test
  void severalSourcesAreMergedByKey() {
    CompiledGroupBy two = GroupByCompiler.compile("""
        name: both
        keys: [user_id]
        sources:
          - events:
              table: clicks
              schema: {user_id: STRING, n: LONG, ts: LONG}
              query: {timeColumn: ts}
          - events:
              table: views
              schema: {user_id: STRING, n: LONG, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: n, operation: SUM}
        """).orThrow();
    try (EntityReader r = reader(two, null, null, null)) {
      assertThat(drain(r)).containsExactly("a:[10, 15, 20, 30]", "b:[6]", "c:[16]", "d:[40, 41]", "e:[99]", "z:[17]");
    }
    try (EntityReader r = reader(two, null, null, null)) {
      assertThat(r.rowsFor(List.of("c")).stream().map(Row::ts).toList()).containsExactly(16L);
      assertThat(r.rowsFor(List.of("cc"))).isEmpty();
      assertThat(r.next().key()).containsExactly("d");
    }
  }
}
