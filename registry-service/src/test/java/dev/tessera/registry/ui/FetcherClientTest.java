package dev.tessera.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetcherClientTest {
  static final CompiledGroupBy G = GroupByCompiler.compile(GroupBy.builder("g").keys("user_id", "shard", "vip")
      .source(EventSource.builder().table("t").column("user_id", "STRING").column("shard", "LONG").column("vip", "BOOLEAN")
          .column("amount", "DOUBLE").column("ts", "LONG").timeColumn("ts").build())
      .aggregate("amount", Operation.SUM, "1h").build()).orThrow();

  @Test
  void keysAreSentInTheirTypes() {
    assertThat(FetcherClient.typedKey(G, Map.of("user_id", " u1 ", "shard", "7", "vip", "TRUE")))
        .containsExactly(Map.entry("user_id", "u1"), Map.entry("shard", 7L), Map.entry("vip", true));
    assertThatThrownBy(() -> FetcherClient.typedKey(G, Map.of("user_id", "u1", "shard", "seven", "vip", "true")))
        .hasMessage("The key shard is LONG: 'seven' is not a whole number.");
    assertThatThrownBy(() -> FetcherClient.typedKey(G, Map.of("user_id", "u1", "shard", "1", "vip", "maybe")))
        .hasMessage("The key vip is BOOLEAN: enter true or false.");
    assertThatThrownBy(() -> FetcherClient.typedKey(G, Map.of("shard", "1", "vip", "true")))
        .hasMessage("Enter a value for the key user_id.");
  }

  @Test
  void joinFieldsAreSentInTheirLeftSchemaTypesAndABlankRequestFieldIsNull() {
    Map<String, DataType> fields = new LinkedHashMap<>();
    fields.put("amount_now", DataType.Primitive.DOUBLE);
    fields.put("channel", DataType.Primitive.STRING);
    fields.put("tags", new DataType.ListType(DataType.Primitive.STRING));
    Map<String, Object> typed = FetcherClient.typed(fields, Map.of("amount_now", "12.5", "channel", " ", "tags", "[\"a\"]"), "request field", true);
    assertThat(typed).containsEntry("amount_now", 12.5).containsEntry("channel", null);
    assertThat(typed.get("tags")).hasToString("[\"a\"]");
    assertThatThrownBy(() -> FetcherClient.typed(fields, Map.of("amount_now", "x"), "request field", true))
        .hasMessage("The request field amount_now is DOUBLE: 'x' is not a number.");
    assertThatThrownBy(() -> FetcherClient.typed(Map.of("buyer", DataType.Primitive.STRING), Map.of(), "key column", false))
        .hasMessage("Enter a value for the key column buyer.");
  }

  @Test
  void aFetcherThatIsDownIsAReadableErrorNotAnException() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    FetcherClient client = new FetcherClient(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));
    FetcherClient.Outcome o = client.fetch(G, Map.of("user_id", "u1", "shard", "1", "vip", "false"), null);
    assertThat(o.ok()).isFalse();
    assertThat(o.error()).startsWith("The fetcher at http://127.0.0.1:" + closed + " is not reachable")
        .contains("Is fetcher-service running?");
    assertThat(o.url()).isEqualTo("http://127.0.0.1:" + closed + "/v1/features/groupby/g");
  }
}
