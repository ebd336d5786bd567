package dev.tessera.fetcher.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.Definitions;
import dev.tessera.support.RegistryApi;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the fetch API answers when a definition is missing, unservable or cannot be told: the fetcher's own mapping of Definitions. */
class ServedDefinitionsTest {
  @TempDir
  Path dir;

  static final String USERS = """
      name: users
      keys: [user_id]
      online: true
      sources: [{events: {table: purchases, topic: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations: [{inputColumn: amount, operation: SUM, windows: [1h]}]
      """;

  static String join(String name, Integer pin) {
    Join j = Join.builder(name).online(true)
        .left(new LeftSource("checkouts", "ts", Map.of("buyer", DataType.Primitive.STRING, "ts", DataType.Primitive.LONG)))
        .part(new JoinPart("users", pin, Map.of("buyer", "user_id"), "buyer")).build();
    return new PublishedJoin(name, 1, j, Instant.EPOCH, "t").toJson();
  }

  @Test
  void unknownBadlyNamedAndUnservableDefinitions() throws Exception {
    Files.writeString(dir.resolve("model.json"), join("model", null));
    ServedDefinitions served = new ServedDefinitions(Definitions.directory(dir));
    assertThatThrownBy(() -> served.groupBy("users")).isInstanceOf(UnknownGroupByException.class).hasMessage("no live GroupBy named 'users'");
    assertThatThrownBy(() -> served.groupBy("Bad-Name")).isInstanceOf(UnknownGroupByException.class)
        .hasMessageContaining("GroupBy names match");
    assertThatThrownBy(() -> served.join("nothing")).isInstanceOf(UnknownJoinException.class).hasMessage("no live Join named 'nothing'");
    assertThatThrownBy(() -> served.join("model")).isInstanceOf(UnservableJoinException.class)
        .hasMessageContaining("unknown GroupBy 'users'");

    Files.writeString(dir.resolve("users.yaml"), USERS);
    Files.writeString(dir.resolve("pinned.json"), join("pinned", 7));
    assertThat(served.groupBy("users").version()).isEqualTo(1);
    assertThat(served.join("model").compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_1h");
    assertThatThrownBy(() -> served.join("pinned")).isInstanceOf(UnservableJoinException.class).hasMessageContaining("has no version 7");
  }

  @Test
  void aRegistryThatCannotBeAskedIsA503NotA404() {
    ServedDefinitions served = new ServedDefinitions(Definitions.registry(null, RegistryApi.of(URI.create("http://127.0.0.1:1"),
        Duration.ofMillis(500))));
    assertThatThrownBy(() -> served.groupBy("users")).isInstanceOf(DefinitionsUnavailableException.class)
        .hasMessageContaining("cannot tell whether GroupBy 'users' exists");
    assertThatThrownBy(() -> served.join("model")).isInstanceOf(DefinitionsUnavailableException.class);
  }
}
