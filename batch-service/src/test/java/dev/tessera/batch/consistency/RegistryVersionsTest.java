package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.definitions.RegistryClientProperties;
import dev.tessera.batch.definitions.RegistryVersions;
import dev.tessera.batch.testing.RecordedRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The registry client against {@link RecordedRegistry} (standing in for the registry's versions endpoint). */
class RegistryVersionsTest {
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
  void findsRecordedVersionsAndNothingElse() {
    PublishedGroupBy v1 = new PublishedGroupBy("rv_test", 1, def("rv_test", "user_id", "1h"), Instant.parse("2026-01-01T00:00:00Z"), "t");
    RecordedRegistry.INSTANCE.record(v1);
    RegistryVersions registry = new RegistryVersions(URI.create(RecordedRegistry.INSTANCE.url() + "/"), Duration.ofSeconds(2));
    assertThat(registry.find("rv_test", 1)).hasValueSatisfying(p -> assertThat(p.definition()).isEqualTo(v1.definition()));
    assertThat(registry.find("rv_test", 2)).as("a version the registry does not know").isEmpty();
    assertThat(registry.find("rv_other", 1)).isEmpty();
  }

  @Test
  void aRegistryThatDoesNotAnswerIsNoVersion() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RegistryVersions registry = new RegistryVersions(URI.create("http://127.0.0.1:" + port), Duration.ofMillis(500));
    assertThat(registry.find("rv_test", 1)).isEmpty();
  }

  @Test
  void onlyVersionsWithTheSameKeysCanBeRecomputedAlongside() {
    var live = GroupByCompiler.compile(def("rv_k", "user_id", "1d")).orThrow();
    assertThat(LoggedVersions.incompatibility(live, new PublishedGroupBy("rv_k", 1, def("rv_k", "user_id", "1h"), Instant.EPOCH, null)))
        .isNull();
    assertThat(LoggedVersions.incompatibility(live, new PublishedGroupBy("rv_k", 1, def("rv_k", "shop_id", "1h"), Instant.EPOCH, null)))
        .contains("keys");
  }

  @Test
  void readsTheEndpointsBodyWhateverTheTimeFormat() {
    String body = "{\"name\": \"x\", \"version\": 2, \"publishedAt\": 1767225600.0, \"status\": \"ACTIVE\", \"features\": [],"
        + " \"definition\": {\"name\": \"x\"}}";
    assertThat(RegistryVersions.publishedRecord(body).has("publishedAt")).isFalse();
    assertThat(RegistryVersions.publishedRecord(body.replace("1767225600.0", "\"2026-01-01T00:00:00Z\"")).has("publishedAt")).isTrue();
  }

  @Test
  void theUrlIsValidated() {
    assertThat(new RegistryClientProperties(null, null).registryUrl()).isEqualTo(URI.create("http://localhost:8081"));
    assertThatThrownBy(() -> new RegistryClientProperties(URI.create("localhost:8081"), null))
        .hasMessageContaining("tessera.batch.registry-url");
    assertThatThrownBy(() -> new RegistryClientProperties(null, Duration.ZERO)).hasMessageContaining("tessera.batch.registry-timeout");
  }
}
