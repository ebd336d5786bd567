package dev.tessera.agg.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a where of four nested {@code all} over 100-element lists validated and cost over 60 s
 * per event; a select building 10^6 strings cost 29 s and 157 MB. Such expressions are now refused
 * at registration with their JSON path, and a list column longer than assumed is stopped per event.
 */
class CelCostTest {
  static final String HUNDRED = "[" + IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + "]";
  static final String THOUSAND = "[" + IntStream.range(0, 1000).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + "]";

  private static EventSource.Builder events() {
    return EventSource.builder().table("events").column("user_id", "STRING").column("tags", "LIST<STRING>").column("ts", "LONG")
        .timeColumn("ts");
  }

  @Test
  void fourNestedComprehensionsAreRefusedWithTheirPath() {
    String where = HUNDRED + ".all(a, " + HUNDRED + ".all(b, " + HUNDRED + ".all(c, " + HUNDRED + ".all(d, a + b + c + d >= 0))))";
    List<Problem> problems = SourceCompiler.compile(events().where(where).build(), "$.sources[0].events").problems();
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("$.sources[0].events.query.wheres[0]");
      assertThat(p.message()).contains("too costly").contains("at most " + CelCost.MAX_STEPS);
    });
  }

  @Test
  void aSelectBuildingAMillionStringsIsRefused() {
    String select = THOUSAND + ".map(x, " + THOUSAND + ".map(y, string(x) + string(y)))";
    List<Problem> problems = SourceCompiler.compile(events().select("user_id", "user_id").select("s", select).build(), "$.sources[0].events")
        .problems();
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("$.sources[0].events.query.selects.s");
      assertThat(p.message()).contains("too costly");
    });
  }

  @Test
  void ordinaryComprehensionsOverColumnsStayAllowed() {
    List<Problem> problems = SourceCompiler.compile(events().where("tags.exists(t, t == 'vip')")
        .select("user_id", "user_id").select("n", "tags.filter(t, tags.exists(u, u == t)).size()").build(), "$").problems();
    assertThat(problems).isEmpty();
  }

  @Test
  void anEventWhoseListExceedsTheRuntimeLimitIsRejectedWithTheReason() {
    SourceCompiler.Compilation c = SourceCompiler.compile(events().where("tags.all(a, a != '')").build(), "$");
    assertThat(c.problems()).isEmpty();
    CompiledSource s = c.source();
    Map<String, Object> event = new HashMap<>();
    event.put("user_id", "u");
    event.put("ts", 1L);
    event.put("tags", IntStream.range(0, 20_000).mapToObj(Integer::toString).toList()); // 20,000 iterations
    assertThat(s.apply(event)).isInstanceOfSatisfying(SourceResult.Rejected.class,
        r -> assertThat(r.reason()).contains("cost limit").contains(Integer.toString(CelEnvironment.MAX_ITERATIONS)));
    event.put("tags", List.of("a", "b"));
    assertThat(s.apply(event)).isInstanceOf(SourceResult.Accepted.class);
  }
}
