package dev.tessera.batch.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.batch.warehouse.DuckDbDialect;
import dev.tessera.batch.warehouse.PostgresDialect;
import dev.tessera.batch.warehouse.TableName;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueryTest {
  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: spend
      keys: [user_id, country]
      sources:
        - events:
            table: analytics.purchases
            schema: {uid: STRING, country: STRING, amount: DOUBLE, tags: "LIST<STRING>", ts: LONG}
            query:
              selects: {user_id: uid, country: country, amount: amount}
              timeColumn: ts
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h]}
      """).orThrow();

  @Test
  void duckDbQueryStreamsOnePartitionInKeyAndTimeOrder() {
    SourcePlan s = SourcePlan.of(G).getFirst();
    assertThat(s.keyInputColumns()).containsExactly("uid", "country");
    EventQuery q = EventQuery.of(new DuckDbDialect(), s, 1000L, 2000L, new Partition(1, 4), null, null);
    assertThat(q.sql()).isEqualTo("SELECT \"uid\", \"country\", \"amount\", \"tags\", \"ts\" FROM \"analytics\".\"purchases\""
        + " WHERE ((\"ts\" >= ? AND \"ts\" < ?) OR \"ts\" IS NULL)"
        + " AND CAST(hash(CAST(\"uid\" AS VARCHAR), CAST(\"country\" AS VARCHAR)) % 4 AS INTEGER) = 1"
        + " ORDER BY \"uid\" NULLS LAST, \"country\" NULLS LAST, \"ts\", \"amount\" NULLS LAST");
    assertThat(q.parameters()).containsExactly(1000L, 2000L);
  }

  @Test
  void postgresResumesAfterACheckpointWithCodePointCollation() {
    SourcePlan s = SourcePlan.of(G).getFirst();
    EventQuery q = EventQuery.of(new PostgresDialect(), s, null, 2000L, new Partition(0, 2), List.of("u7", "FR"),
        new EventQuery.KeyFilter(TableName.parse("left_rows"), List.of("user_id", "country")));
    assertThat(q.sql()).contains("WHERE ((\"ts\" < ?) OR \"ts\" IS NULL) AND ((hashtext(concat_ws(chr(31), CAST(\"uid\" AS TEXT), CAST(\"country\" AS TEXT))) % 2 + 2) % 2) = 0")
        .contains(" AND ((\"uid\" COLLATE \"C\", \"country\" COLLATE \"C\") > (?, ?) OR \"uid\" IS NULL OR \"country\" IS NULL)")
        .contains(" AND (\"uid\", \"country\") IN (SELECT \"user_id\", \"country\" FROM \"left_rows\")")
        .endsWith("ORDER BY \"uid\" COLLATE \"C\" NULLS LAST, \"country\" COLLATE \"C\" NULLS LAST, \"ts\", \"amount\" NULLS LAST");
    assertThat(q.parameters()).containsExactly(2000L, "u7", "FR");
  }

  @Test
  void aCheckpointInTheNullTailRereadsOnlyTheTail() {
    SourcePlan s = SourcePlan.of(G).getFirst();
    EventQuery q = EventQuery.of(new DuckDbDialect(), s, null, null, new Partition(0, 1), Arrays.asList(null, "FR"), null);
    assertThat(q.sql()).contains("WHERE (\"uid\" IS NULL OR \"country\" IS NULL) ORDER BY");
    assertThat(q.parameters()).isEmpty();
  }

  @Test
  void computedKeysAreRefusedWithAnExplanation() {
    CompiledGroupBy computed = GroupByCompiler.compile("""
        name: lower_keys
        keys: [user_id]
        sources:
          - events:
              table: purchases
              schema: {uid: STRING, amount: DOUBLE, ts: LONG}
              query:
                selects: {user_id: "uid + '_x'", amount: amount}
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: SUM}
        """).orThrow();
    try {
      SourcePlan.of(computed);
      throw new AssertionError("expected a refusal");
    } catch (UnsupportedSourceException e) {
      assertThat(e.getMessage()).contains("key 'user_id' of source 0").contains("is computed").contains("user_id: user_id");
    }
  }
}
