package dev.tessera.agg.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DataType.ListType;
import dev.tessera.agg.definition.DataType.MapType;
import dev.tessera.agg.definition.DataType.Primitive;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A source's CEL wheres, selects and time column, compiled once and applied to raw events (JSON
 * maps on the stream side, JDBC rows on the batch side): what is filtered, what is computed, how
 * raw values are coerced to the schema and which events are rejected, with a reason.
 */
class CompiledSourceTest {

  /** The purchase events of DESIGN.md plus a few columns for the harder cases. */
  private static EventSource.Builder purchases() {
    return EventSource.builder()
        .table("purchases")
        .column("user_id", "STRING")
        .column("merchant", "STRING")
        .column("amount", "DOUBLE")
        .column("currency", "STRING")
        .column("qty", "LONG")
        .column("ts", "LONG")
        .timeColumn("ts");
  }

  private static CompiledSource compile(EventSource source) {
    SourceCompiler.Compilation c = SourceCompiler.compile(source, "$.sources[0].events");
    assertThat(c.problems()).as("problems").isEmpty();
    assertThat(c.source()).isNotNull();
    return c.source();
  }

  /** A USD purchase of 150.0 at 1000 ms. */
  private static Map<String, Object> event() {
    Map<String, Object> e = new HashMap<>();
    e.put("user_id", "u1");
    e.put("merchant", "m1");
    e.put("amount", 150.0);
    e.put("currency", "USD");
    e.put("qty", 2L);
    e.put("ts", 1_000L);
    return e;
  }

  private static Map<String, Object> event(String column, Object value) {
    Map<String, Object> e = event();
    e.put(column, value);
    return e;
  }

  private static Row accepted(SourceResult r) {
    assertThat(r).isInstanceOf(SourceResult.Accepted.class);
    return ((SourceResult.Accepted) r).row();
  }

  private static String rejected(SourceResult r) {
    assertThat(r).isInstanceOf(SourceResult.Rejected.class);
    return ((SourceResult.Rejected) r).reason();
  }

  private static Object value(CompiledSource s, Row row, String column) {
    int i = s.outputSchema().indexOf(column);
    assertThat(i).as("column %s in %s", column, s.outputSchema()).isNotNegative();
    return row.get(i);
  }

  @Nested
  class WheresAndSelects {

    @Test
    void wheresFilterEvents() {
      CompiledSource s = compile(purchases().where("currency == \"USD\"").where("qty >= 2").build());

      assertThat(s.apply(event())).isInstanceOf(SourceResult.Accepted.class);
      assertThat(s.apply(event("currency", "EUR"))).isInstanceOf(SourceResult.Filtered.class);
      assertThat(s.apply(event("qty", 1L))).as("every where must hold").isInstanceOf(SourceResult.Filtered.class);
    }

    @Test
    void selectsComputeColumnsWithTheirCelType() {
      CompiledSource s = compile(purchases()
          .select("user_id", "user_id")
          .select("big", "amount > 100.0 ? 1 : 0")
          .select("total", "amount * double(qty)")
          .select("label", "merchant + ':' + currency")
          .select("usd", "currency == 'USD'")
          .build());

      assertThat(s.outputSchema().asMap()).containsExactly(
          Map.entry("user_id", Primitive.STRING),
          Map.entry("big", Primitive.LONG),
          Map.entry("total", Primitive.DOUBLE),
          Map.entry("label", Primitive.STRING),
          Map.entry("usd", Primitive.BOOLEAN));
      Row big = accepted(s.apply(event()));
      assertThat(big.values()).containsExactly("u1", 1L, 300.0, "m1:USD", true);
      assertThat(accepted(s.apply(event("amount", 99.5))).values()).containsExactly("u1", 0L, 199.0, "m1:USD", true);
    }

    @Test
    void omittedSelectsMeanAllSchemaColumnsAsTheyAre() {
      CompiledSource s = compile(purchases().build());

      assertThat(s.outputSchema()).isEqualTo(s.inputSchema());
      assertThat(s.outputSchema().names()).containsExactly("user_id", "merchant", "amount", "currency", "qty", "ts");
      Row row = accepted(s.apply(event()));
      assertThat(row.values()).containsExactly("u1", "m1", 150.0, "USD", 2L, 1_000L);
      assertThat(row.ts()).isEqualTo(1_000L);
    }

    @Test
    void anIdentitySelectKeepsTheSchemaType() {
      CompiledSource s = compile(EventSource.builder().table("t").column("n", "INT").column("f", "FLOAT").column("ts", "LONG")
          .select("n", "n").select("f", " f ").select("n2", "n * 2").timeColumn("ts").build());

      assertThat(s.outputSchema().asMap()).containsExactly(
          Map.entry("n", Primitive.INT), Map.entry("f", Primitive.FLOAT), Map.entry("n2", Primitive.LONG));
      assertThat(accepted(s.apply(Map.of("n", 21, "f", 1.5f, "ts", 5L))).values()).containsExactly(21L, 1.5, 42L);
    }

    @Test
    void aDoubleColumnComparesWithAnIntLiteral() {
      CompiledSource s = compile(purchases().where("amount > 100").select("amount", "amount").select("cheap", "amount < 100").build());

      assertThat(s.apply(event("amount", 100.5))).isInstanceOf(SourceResult.Accepted.class);
      assertThat(s.apply(event("amount", 100.0))).isInstanceOf(SourceResult.Filtered.class);
      assertThat(s.apply(event("amount", 99.5))).isInstanceOf(SourceResult.Filtered.class);
      assertThat(s.outputSchema().type("cheap")).isEqualTo(Primitive.BOOLEAN);
    }

    @Test
    void theSameProgramAppliesToMapsAndToArraysInSchemaOrder() {
      CompiledSource s = compile(purchases().where("currency == 'USD'").select("user_id", "user_id").select("big", "amount > 100.0").build());

      Object[] raw = {"u1", "m1", 150.0, "USD", 2L, 1_000L};
      assertThat(s.apply(raw)).isEqualTo(s.apply(event()));
      assertThat(accepted(s.apply(new Object[] {"u1", "m1", 150.0, "USD", 2L, 1_000L})).values()).containsExactly("u1", true);
      assertThat(s.apply(new Object[] {"u1", "m1", 150.0, "EUR", 2L, 1_000L})).isInstanceOf(SourceResult.Filtered.class);
    }

    @Test
    void reorderingProducesTheColumnsInTheTargetOrder() {
      CompiledSource s = compile(purchases().select("user_id", "user_id").select("amount", "amount").build());
      Map<String, DataType> columns = new LinkedHashMap<>();
      columns.put("amount", Primitive.DOUBLE);
      columns.put("user_id", Primitive.STRING);
      RowSchema target = new RowSchema(columns);

      CompiledSource reordered = s.reorderedTo(target);

      assertThat(accepted(reordered.apply(event())).values()).containsExactly(150.0, "u1");
    }
  }

  @Nested
  class TimeColumn {

    @Test
    void aPlainColumnGivesTheEventTime() {
      CompiledSource s = compile(purchases().build());

      assertThat(accepted(s.apply(event("ts", 1_700_000_000_123L))).ts()).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void aCelExpressionGivesTheEventTime() {
      CompiledSource s = compile(EventSource.builder().table("t").column("user_id", "STRING").column("ts_seconds", "LONG")
          .timeColumn("ts_seconds * 1000").build());

      Row row = accepted(s.apply(Map.of("user_id", "u1", "ts_seconds", 1_700_000_000)));

      assertThat(row.ts()).isEqualTo(1_700_000_000_000L);
      assertThat(row.values()).as("the time column is not a selected column by itself").containsExactly("u1", 1_700_000_000L);
    }

    @Test
    void aMissingOrNullTimeRejectsTheEvent() {
      CompiledSource s = compile(purchases().build());
      Map<String, Object> noTime = event();
      noTime.remove("ts");

      assertThat(rejected(s.apply(noTime))).isEqualTo("no event time: timeColumn 'ts' is null");
      assertThat(rejected(s.apply(event("ts", null)))).isEqualTo("no event time: timeColumn 'ts' is null");
    }

    @Test
    void aTimeExpressionOverANullColumnRejectsTheEvent() {
      CompiledSource s = compile(EventSource.builder().table("t").column("ts_seconds", "LONG").timeColumn("ts_seconds * 1000").build());

      assertThat(rejected(s.apply(new HashMap<>())))
          .isEqualTo("no event time: timeColumn 'ts_seconds * 1000' is null");
    }

    @Test
    void aFilteredEventNeedsNoTime() {
      CompiledSource s = compile(purchases().where("currency == 'USD'").build());

      assertThat(s.apply(event("ts", null))).isInstanceOf(SourceResult.Rejected.class);
      assertThat(s.apply(Map.of("currency", "EUR"))).as("the wheres come first").isInstanceOf(SourceResult.Filtered.class);
    }
  }

  @Nested
  class Nulls {

    @Test
    void aWhereReadingANullColumnDoesNotHold() {
      CompiledSource s = compile(purchases().where("amount > 100.0 || currency == 'USD'").build());

      assertThat(s.apply(event("amount", null))).isInstanceOf(SourceResult.Filtered.class);
      assertThat(s.apply(event())).isInstanceOf(SourceResult.Accepted.class);
    }

    @Test
    void aComputedSelectReadingANullIsNull() {
      CompiledSource s = compile(purchases().select("big", "amount > 100.0 ? 1 : 0").select("label", "merchant + '!'").build());

      assertThat(accepted(s.apply(event("amount", null))).values()).containsExactly(null, "m1!");
    }

    @Test
    void anIdentitySelectPassesNullThrough() {
      CompiledSource s = compile(purchases().select("user_id", "user_id").select("merchant", "merchant").build());

      assertThat(accepted(s.apply(event("merchant", null))).values()).containsExactly("u1", null);
    }

    @Test
    void aMissingColumnIsNull() {
      CompiledSource s = compile(purchases().select("merchant", "merchant").build());
      Map<String, Object> e = event();
      e.remove("merchant");

      assertThat(accepted(s.apply(e)).values()).containsExactly((Object) null);
    }
  }

  @Nested
  class CoercionOfRawValues {

    @Test
    void jsonIntegersBecomeLongs() {
      CompiledSource s = compile(purchases().build());

      Row row = accepted(s.apply(event("qty", 7)));

      assertThat(value(s, row, "qty")).isInstanceOf(Long.class).isEqualTo(7L);
      assertThat(accepted(s.apply(event("qty", new BigDecimal("9")))).get(4)).isEqualTo(9L);
      assertThat(accepted(s.apply(event("amount", 3))).get(2)).as("an integer for a DOUBLE").isEqualTo(3.0);
    }

    @Test
    void aStringForALongIsRejectedNamingTheColumn() {
      CompiledSource s = compile(purchases().build());

      assertThat(rejected(s.apply(event("qty", "abc")))).isEqualTo("column 'qty': expected LONG, got a string (\"abc\")");
    }

    @Test
    void aFractionForALongIsRejected() {
      CompiledSource s = compile(purchases().build());

      assertThat(rejected(s.apply(event("qty", 2.5)))).isEqualTo("column 'qty': expected LONG, got a number (2.5)");
      assertThat(rejected(s.apply(event("qty", new BigDecimal("2.5"))))).startsWith("column 'qty': expected LONG");
    }

    @Test
    void aWholeDoubleForALongIsAccepted() {
      CompiledSource s = compile(purchases().build());

      assertThat(accepted(s.apply(event("qty", 5.0))).get(4)).isInstanceOf(Long.class).isEqualTo(5L);
      assertThat(accepted(s.apply(event("ts", 1.0e12))).ts()).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void otherMismatchesAreRejectedNamingTheColumn() {
      CompiledSource s = compile(purchases().build());

      assertThat(rejected(s.apply(event("user_id", 123)))).isEqualTo("column 'user_id': expected STRING, got a number (123)");
      assertThat(rejected(s.apply(event("amount", "1.5")))).isEqualTo("column 'amount': expected DOUBLE, got a string (\"1.5\")");
      assertThat(rejected(s.apply(event("amount", List.of(1.5))))).isEqualTo("column 'amount': expected DOUBLE, got a list ([1.5])");
    }

    @Test
    void anIntOutOfRangeIsRejected() {
      CompiledSource s = compile(EventSource.builder().table("t").column("n", "INT").column("ts", "LONG").timeColumn("ts").build());

      assertThat(rejected(s.apply(Map.of("n", 3_000_000_000L, "ts", 1L))))
          .isEqualTo("column 'n': expected INT, got 3000000000 (out of range)");
      assertThat(accepted(s.apply(Map.of("n", (long) Integer.MAX_VALUE, "ts", 1L))).get(0)).isEqualTo((long) Integer.MAX_VALUE);
    }

    @Test
    void aBooleanColumn() {
      CompiledSource s = compile(EventSource.builder().table("t").column("b", "BOOLEAN").column("ts", "LONG")
          .where("b").timeColumn("ts").build());

      assertThat(s.apply(Map.of("b", true, "ts", 1L))).isInstanceOf(SourceResult.Accepted.class);
      assertThat(s.apply(Map.of("b", false, "ts", 1L))).isInstanceOf(SourceResult.Filtered.class);
      assertThat(rejected(s.apply(Map.of("b", "true", "ts", 1L)))).isEqualTo("column 'b': expected BOOLEAN, got a string (\"true\")");
    }
  }

  @Nested
  class RuntimeErrors {

    @Test
    void divisionByZeroRejectsTheEventNamingTheSelect() {
      CompiledSource s = compile(purchases().select("per_item", "100 / qty").build());

      assertThat(accepted(s.apply(event("qty", 4L))).values()).containsExactly(25L);
      assertThat(rejected(s.apply(event("qty", 0L)))).startsWith("select 'per_item' failed: ")
          .containsAnyOf("by zero", "ArithmeticException");
    }

    @Test
    void aMissingMapKeyRejectsTheEventNamingTheSelect() {
      CompiledSource s = compile(EventSource.builder().table("t").column("attrs", "MAP<STRING,LONG>").column("ts", "LONG")
          .select("color", "attrs['color']").timeColumn("ts").build());

      assertThat(accepted(s.apply(Map.of("attrs", Map.of("color", 3), "ts", 1L))).values()).containsExactly(3L);
      assertThat(rejected(s.apply(Map.of("attrs", Map.of("size", 3), "ts", 1L)))).startsWith("select 'color' failed: ").contains("color");
    }

    @Test
    void anOverflowRejectsTheEvent() {
      CompiledSource s = compile(purchases().select("more", "qty + 1").build());

      assertThat(rejected(s.apply(event("qty", Long.MAX_VALUE)))).startsWith("select 'more' failed: ").contains("overflow");
    }

    @Test
    void aFailingWhereRejectsTheEventNamingTheWhere() {
      CompiledSource s = compile(purchases().where("100 / qty > 10").build());

      assertThat(s.apply(event("qty", 5L))).isInstanceOf(SourceResult.Accepted.class);
      assertThat(rejected(s.apply(event("qty", 0L)))).startsWith("where '100 / qty > 10' failed: ");
    }
  }

  @Nested
  class ListAndMapColumns {

    private final CompiledSource source = compile(EventSource.builder().table("t")
        .column("user_id", "STRING")
        .column("tags", "LIST<STRING>")
        .column("attrs", "MAP<STRING,LONG>")
        .column("scores", "LIST<DOUBLE>")
        .column("ts", "LONG")
        .select("tags", "tags")
        .select("attrs", "attrs")
        .select("n_tags", "size(tags)")
        .select("vip", "'vip' in tags")
        .select("has_color", "'color' in attrs")
        .select("upper", "tags.map(t, t + '!')")
        .select("doubled", "scores.map(x, x * 2.0)")
        .where("size(tags) > 0")
        .timeColumn("ts")
        .build());

    @Test
    void haveListAndMapTypes() {
      assertThat(source.outputSchema().asMap()).containsExactly(
          Map.entry("tags", new ListType(Primitive.STRING)),
          Map.entry("attrs", new MapType(Primitive.LONG)),
          Map.entry("n_tags", Primitive.LONG),
          Map.entry("vip", Primitive.BOOLEAN),
          Map.entry("has_color", Primitive.BOOLEAN),
          Map.entry("upper", new ListType(Primitive.STRING)),
          Map.entry("doubled", new ListType(Primitive.DOUBLE)));
    }

    @Test
    void areCoercedAndComputedElementWise() {
      Map<String, Object> e = Map.of("user_id", "u1", "tags", List.of("vip", "new"), "attrs", Map.of("color", 3),
          "scores", List.of(1, 2.5), "ts", 1L);

      Row row = accepted(source.apply(e));

      assertThat(row.values()).containsExactly(List.of("vip", "new"), Map.of("color", 3L), 2L, true, true,
          List.of("vip!", "new!"), List.of(2.0, 5.0));
    }

    @Test
    void anEmptyListIsFiltered() {
      assertThat(source.apply(Map.of("tags", List.of(), "attrs", Map.of(), "scores", List.of(), "ts", 1L)))
          .isInstanceOf(SourceResult.Filtered.class);
    }

    @Test
    void aMacroVariableNamedLikeAColumnDoesNotReadThatColumn() {
      CompiledSource s = compile(EventSource.builder().table("t").column("x", "LONG").column("scores", "LIST<DOUBLE>")
          .column("ts", "LONG")
          .select("doubled", "scores.map(x, x * 2.0)")
          .select("plus", "x + size(scores.filter(x, x > 1.0))")
          .timeColumn("ts").build());
      Map<String, Object> e = new HashMap<>(Map.of("scores", List.of(1.0, 2.0), "ts", 1L));

      assertThat(accepted(s.apply(e)).values()).as("x is null: only the select that reads the column is null")
          .containsExactly(List.of(2.0, 4.0), null);
      e.put("x", 10L);
      assertThat(accepted(s.apply(e)).values()).containsExactly(List.of(2.0, 4.0), 11L);
    }

    @Test
    void hasTellsWhetherAMapHasAKey() {
      CompiledSource s = compile(EventSource.builder().table("t").column("attrs", "MAP<STRING,LONG>").column("ts", "LONG")
          .select("color", "has(attrs.color) ? attrs.color : -1").timeColumn("ts").build());

      assertThat(accepted(s.apply(Map.of("attrs", Map.of("color", 3), "ts", 1L))).values()).containsExactly(3L);
      assertThat(accepted(s.apply(Map.of("attrs", Map.of(), "ts", 1L))).values()).containsExactly(-1L);
    }

    @Test
    void aBadElementIsRejectedNamingTheColumn() {
      assertThat(rejected(source.apply(Map.of("tags", List.of("a", 1), "ts", 1L))))
          .isEqualTo("column 'tags': expected STRING, got a number (1)");
      assertThat(rejected(source.apply(Map.of("tags", List.of("a"), "attrs", Map.of("color", "red"), "ts", 1L))))
          .isEqualTo("column 'attrs': expected LONG, got a string (\"red\")");
      assertThat(rejected(source.apply(Map.of("tags", "a,b", "ts", 1L))))
          .isEqualTo("column 'tags': expected LIST<STRING>, got a string (\"a,b\")");
    }
  }

  @Nested
  class ThroughTheCompiledGroupBy {

    private final CompiledGroupBy groupBy = GroupByCompiler.compile(GroupBy.builder("g").keys("user_id", "merchant")
        .source(purchases().where("currency == 'USD'").select("user_id", "user_id").select("merchant", "merchant")
            .select("amount", "amount").build())
        .aggregate("amount", Operation.SUM, "1h")
        .build()).orThrow();

    @Test
    void aNullKeyRejectsTheEventNamingTheKey() {
      assertThat(rejected(groupBy.apply(0, event("user_id", null)))).isEqualTo("key 'user_id' is null");
      assertThat(rejected(groupBy.apply(0, event("merchant", null)))).isEqualTo("key 'merchant' is null");
      assertThat(rejected(groupBy.apply(0, new Object[] {"u1", null, 1.0, "USD", 1L, 1L}))).isEqualTo("key 'merchant' is null");
    }

    @Test
    void aNullKeyOfAFilteredEventIsJustFiltered() {
      assertThat(groupBy.apply(0, event("currency", "EUR"))).isInstanceOf(SourceResult.Filtered.class);
      Map<String, Object> e = event("currency", "EUR");
      e.put("user_id", null);
      assertThat(groupBy.apply(0, e)).isInstanceOf(SourceResult.Filtered.class);
    }

    @Test
    void aNullNonKeyColumnIsFine() {
      Row row = accepted(groupBy.apply(0, event("amount", null)));

      assertThat(groupBy.keyOf(row)).containsExactly("u1", "m1");
      assertThat(row.values()).containsExactly("u1", "m1", null);
    }
  }

  @Nested
  class Concurrency {

    @Test
    void oneCompiledProgramGivesTheSameResultsFromManyThreads() throws Exception {
      CompiledSource s = compile(purchases()
          .where("currency == 'USD' || amount > 1000.0")
          .select("user_id", "user_id")
          .select("big", "amount > 100.0 ? 1 : 0")
          .select("per_item", "amount / double(qty)")
          .select("label", "merchant + '/' + string(qty)")
          .select("ratio", "100 / qty")
          .build());
      List<Map<String, Object>> events = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        Map<String, Object> e = new HashMap<>();
        e.put("user_id", "u" + i % 17);
        e.put("merchant", i % 11 == 0 ? null : "m" + i % 5);
        e.put("amount", i * 1.5);
        e.put("currency", i % 3 == 0 ? "EUR" : "USD");
        e.put("qty", (long) (i % 7));
        e.put("ts", i % 13 == 0 ? "bad" : (Object) (long) i);
        events.add(e);
      }
      List<SourceResult> expected = events.stream().map(e -> s.apply(copy(e))).toList();
      assertThat(expected).hasAtLeastOneElementOfType(SourceResult.Accepted.class)
          .hasAtLeastOneElementOfType(SourceResult.Filtered.class)
          .hasAtLeastOneElementOfType(SourceResult.Rejected.class);

      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<SourceResult>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int offset = t;
          futures.add(pool.submit(() -> {
            start.await();
            List<SourceResult> out = new ArrayList<>(events.size());
            for (int round = 0; round < 5; round++) {
              out.clear();
              // each thread walks the events from a different starting point
              for (int i = 0; i < events.size(); i++) out.add(null);
              for (int k = 0; k < events.size(); k++) {
                int i = (k + offset * 251) % events.size();
                out.set(i, s.apply(copy(events.get(i))));
              }
            }
            return out;
          }));
        }
        start.countDown();
        for (Future<List<SourceResult>> f : futures) {
          assertThat(f.get()).isEqualTo(expected);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    private static Map<String, Object> copy(Map<String, Object> e) {
      return new HashMap<>(e);
    }
  }
}
