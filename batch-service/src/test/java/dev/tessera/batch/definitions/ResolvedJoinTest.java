package dev.tessera.batch.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.Definitions;
import dev.tessera.support.JoinResolution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Join resolved against a definitions directory (batch's local mode), recorded as a job records it, compiles to the same columns. */
class ResolvedJoinTest {
  static final String DEFINITION = """
      name: %s
      keys: [user_id]
      sources:
        - events:
            table: purchases
            schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
            query: {timeColumn: ts}
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h]}
      """;

  static final String JOIN = """
      name: %s
      left:
        table: checkouts
        timeColumn: ts
        schema: {buyer: STRING, amount_now: DOUBLE, ts: LONG}
      parts:
        - groupBy: spend
          keyMapping: {buyer: user_id}
          prefix: buyer%s
      request: [amount_now]
      derivations:
        - {name: ratio, expression: "amount_now / buyer_amount_sum_1h"}
      """;

  @Test
  void joinFilesSitBesideGroupByFilesAndPartsResolveToLiveOrPinnedVersions(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("spend.yaml"), DEFINITION.formatted("spend"));
    Files.writeString(dir.resolve("spend_v3.json"), """
        {"name": "spend", "version": 3, "publishedAt": "2026-01-01T00:00:00Z",
         "definition": {"name": "spend", "keys": ["user_id"],
           "sources": [{"events": {"table": "purchases", "schema": {"user_id": "STRING", "amount": "DOUBLE", "ts": "LONG"},
             "query": {"timeColumn": "ts"}}}],
           "aggregations": [{"inputColumn": "amount", "operation": "SUM", "windows": ["1h", "1d"]}]}}""");
    Files.writeString(dir.resolve("model.yaml"), JOIN.formatted("model", ""));
    Files.writeString(dir.resolve("model_v2.json"), "{\"kind\": \"join\", \"name\": \"model\", \"version\": 2, \"publishedAt\": "
        + "\"2026-01-02T00:00:00Z\", \"definition\": " + toJson(JOIN.formatted("model", "\n    version: 1")) + "}");
    Files.writeString(dir.resolve("broken_join.yaml"), JOIN.formatted("broken", "").replace("parts:", "parts: 3\nx:"));

    Definitions definitions = Definitions.directory(dir);
    assertThat(definitions.all()).as("Join files are not GroupBys").hasSize(1);
    assertThat(definitions.live("spend").orElseThrow().version()).isEqualTo(3);
    assertThat(definitions.version("spend", 1)).hasValueSatisfying(p -> assertThat(p.version()).isEqualTo(1));
    assertThat(definitions.version("spend", 2)).isEmpty();

    assertThat(definitions.liveJoin("model")).hasValueSatisfying(j -> assertThat(j.version()).isEqualTo(2));
    assertThat(definitions.joinVersion("model", 1)).hasValueSatisfying(j -> assertThat(j.definition().parts().getFirst().version()).isNull());
    assertThat(definitions.liveJoin("broken")).isEmpty();
    assertThat(definitions.liveJoin("nothing")).isEmpty();

    // The latest Join pins version 1 of spend (no 1d sum); version 1 of the Join follows the live version 3.
    for (int version : new int[] {1, 2}) {
      PublishedJoin published = definitions.joinVersion("model", version).orElseThrow();
      JoinResolution resolution = definitions.resolve(published);
      CompiledJoin compiled = resolution.compiled();
      ResolvedJoin resolved = ResolvedJoin.of(resolution);
      assertThat(resolved.parts().getFirst().version()).isEqualTo(version == 1 ? 3 : 1);
      assertThat(compiled.featureColumns()).hasSize(version == 1 ? 2 : 1);
      // What a job records compiles to the same columns after a round trip through its context.
      ResolvedJoin recorded = ResolvedJoin.fromJson(resolved.toJson());
      assertThat(recorded.compile().outputColumns()).isEqualTo(compiled.outputColumns());
    }
  }

  static String toJson(String yaml) {
    return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(
        tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(yaml));
  }
}
