package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.registry.PublishedGroupBy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which older versions' log rows a consistency job recomputes with their own definition. */
class LoggedVersionsTest {
  static GroupBy def(String name, String keys, String window) {
    String yaml = """
        name: %s
        keys: [%s]
        sources:
          - events:
              table: purchases
              schema: {user_id: STRING, shop_id: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [%s]}
        """.formatted(name, keys, window);
    return GroupByReader.read(yaml).groupBy();
  }

  @Test
  void onlyVersionsWithTheSameKeysCanBeRecomputedAlongside() {
    var live = GroupByCompiler.compile(def("rv_k", "user_id", "1d")).orThrow();
    assertThat(LoggedVersions.incompatibility(live, new PublishedGroupBy("rv_k", 1, def("rv_k", "user_id", "1h"), Instant.EPOCH, null)))
        .isNull();
    assertThat(LoggedVersions.incompatibility(live, new PublishedGroupBy("rv_k", 1, def("rv_k", "shop_id", "1h"), Instant.EPOCH, null)))
        .contains("keys");
  }
}
