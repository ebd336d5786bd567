package dev.tessera.batch.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDefinitionsTest {
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

  @Test
  void readsGroupByDocumentsAndPublishedRecordsAndSkipsBrokenFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), DEFINITION.formatted("spend"));
    Files.writeString(dir.resolve("b.json"), """
        {"name": "clicks", "version": 4, "publishedAt": "2026-01-01T00:00:00Z",
         "definition": {"name": "clicks", "keys": ["user_id"],
           "sources": [{"events": {"table": "clicks", "schema": {"user_id": "STRING", "ts": "LONG"}, "query": {"timeColumn": "ts"}}}],
           "aggregations": [{"inputColumn": "ts", "operation": "COUNT", "windows": ["1d"]}]}}""");
    Files.writeString(dir.resolve("broken.yaml"), DEFINITION.formatted("broken").replace("SUM", "SUMMED"));
    Files.writeString(dir.resolve("notes.txt"), "not a definition");
    DirectoryDefinitions definitions = new DirectoryDefinitions(dir);
    assertThat(definitions.ready()).isTrue();
    assertThat(definitions.find("spend")).hasValueSatisfying(l -> {
      assertThat(l.version()).isEqualTo(1);
      assertThat(l.compiled().features().getFirst().name()).isEqualTo("amount_sum_1h");
    });
    assertThat(definitions.find("clicks")).hasValueSatisfying(l -> assertThat(l.version()).isEqualTo(4));
    assertThat(definitions.find("broken")).isEmpty();
    assertThat(definitions.all()).hasSize(2);
    // Files are read on every lookup: an edit counts on the next job.
    Files.writeString(dir.resolve("a.yaml"), DEFINITION.formatted("spend").replace("[1h]", "[2h]"));
    assertThat(definitions.find("spend").orElseThrow().compiled().features().getFirst().name()).isEqualTo("amount_sum_2h");
  }
}
