package dev.tessera.support;

import static dev.tessera.support.TestDefinitions.join;
import static dev.tessera.support.TestDefinitions.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Definitions from the registry REST API alone, over real HTTP: what it answers, keeps, and cannot tell. */
class RestDefinitionsTest {
  final StubRegistry registry = new StubRegistry();
  final long[] now = {0};
  final InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
  final Definitions definitions = Definitions.registry(null,
      RegistryApi.of(registry.url(), Duration.ofSeconds(2)).withHeaders(Map.of("Authorization", "Bearer reader-token"))
          .withCache(Duration.ofMillis(100), Duration.ofMillis(10), clock));

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void aPublishedGroupByIsFoundCompiledAndKeptForTheCacheTime() {
    registry.publish(published("users", 2, "2h"));
    LiveGroupBy users = definitions.live("users").orElseThrow();
    assertThat(users.version()).isEqualTo(2);
    assertThat(users.compiled().features().getFirst().name()).isEqualTo("amount_sum_2h");
    assertThat(registry.authorizations).as("the credentials go with every call").containsOnly("Bearer reader-token");

    registry.publish(published("users", 3, "3h"));
    assertThat(definitions.live("users").orElseThrow().version()).as("kept for the cache time").isEqualTo(2);
    now[0] += 100;
    assertThat(definitions.live("users").orElseThrow().version()).isEqualTo(3);
    assertThat(definitions.pending("users")).as("the REST API is not asked for a pending version").isEmpty();
  }

  @Test
  void unknownRetiredAndBadlyNamedGroupBysAreNotFound() {
    assertThat(definitions.live("nothing")).isEmpty();
    registry.publish(published("users", 1, "1h"));
    registry.retire(published("users", 1, "1h"));
    assertThat(definitions.live("users")).isEmpty();
    assertThat(definitions.version("users", 1)).as("retired = unknown, every version of it").isEmpty();
    int asked = registry.requests.size();
    assertThat(definitions.live("Bad-Name")).isEmpty();
    assertThat(registry.requests).as("a name that cannot exist is not asked").hasSize(asked);
  }

  @Test
  void olderVersionsComeFromTheVersionsEndpoint() {
    registry.publish(published("users", 3, "3h"));
    registry.publishVersion(published("users", 1, "1h"));
    assertThat(definitions.version("users", 3).orElseThrow().compiled().features().getFirst().name()).isEqualTo("amount_sum_3h");
    assertThat(definitions.version("users", 1).orElseThrow().compiled().features().getFirst().name()).isEqualTo("amount_sum_1h");
    assertThat(definitions.version("users", 2)).isEmpty();
  }

  @Test
  void aRegistryThatCannotBeAskedMakesDefinitionsUnavailableWithoutATopic() {
    registry.failWith = 500;
    assertThatThrownBy(() -> definitions.live("users")).isInstanceOf(DefinitionsUnavailableException.class)
        .hasMessageContaining("answered 500");
    assertThatThrownBy(() -> definitions.liveJoin("model")).isInstanceOf(DefinitionsUnavailableException.class);
    registry.failWith = 0;
    registry.bodies.put("/api/v1/groupbys/users/live", "{not json");
    assertThatThrownBy(() -> definitions.live("users")).isInstanceOf(DefinitionsUnavailableException.class)
        .hasMessageContaining("does not read");
  }

  @Test
  void aJoinIsCompiledOncePerJoinAndPartVersions() {
    registry.publish(published("users", 1, "1h"));
    registry.publish(join("model", 1, null));
    JoinResolution first = definitions.resolve(definitions.liveJoin("model").orElseThrow());
    assertThat(first.ok()).isTrue();
    assertThat(first.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_1h");
    assertThat(first.parts()).extracting(LiveGroupBy::version).containsExactly(1);
    now[0] += 200; // past the cache time: the registry is asked again, the compiled Join is kept
    assertThat(definitions.resolve(definitions.liveJoin("model").orElseThrow())).isSameAs(first);

    registry.publish(published("users", 2, "2h"));
    now[0] += 200;
    JoinResolution second = definitions.resolve(definitions.liveJoin("model").orElseThrow());
    assertThat(second).isNotSameAs(first);
    assertThat(second.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_2h");

    registry.publish(join("model", 2, 1));
    registry.publishVersion(published("users", 1, "1h"));
    now[0] += 200;
    JoinResolution pinned = definitions.resolve(definitions.liveJoin("model").orElseThrow());
    assertThat(pinned.version()).isEqualTo(2);
    assertThat(pinned.compiled().parts().getFirst().groupByVersion()).isEqualTo(1);
    assertThat(pinned.parts().getFirst().published().version()).isEqualTo(1);
    assertThat(definitions.joinVersion("model", 1).orElseThrow().definition().parts().getFirst().version()).isNull();
  }

  @Test
  void aJoinWhosePartsDoNotResolveIsNotServable() {
    registry.publish(join("model", 1, null));
    JoinResolution noUsers = definitions.resolve(definitions.liveJoin("model").orElseThrow());
    assertThat(noUsers.ok()).isFalse();
    assertThat(noUsers.problems().getFirst().message()).contains("unknown GroupBy 'users'");

    registry.publish(published("users", 2, "1h"));
    registry.publish(join("pinned", 1, 7));
    now[0] += 200;
    JoinResolution unknownPin = definitions.resolve(definitions.liveJoin("pinned").orElseThrow());
    assertThat(unknownPin.ok()).isFalse();
    assertThat(unknownPin.problems().getFirst().message()).contains("has no version 7");
  }

  @Test
  void theEndpointsBodyIsReadWhateverItsTimeFormat() {
    String body = "{\"name\": \"x\", \"version\": 2, \"publishedAt\": 1767225600.0, \"status\": \"ACTIVE\", \"features\": [],"
        + " \"definition\": {\"name\": \"x\"}}";
    assertThat(RegistryRest.publishedRecord(body).has("publishedAt")).isFalse();
    assertThat(RegistryRest.publishedRecord(body.replace("1767225600.0", "\"2026-01-01T00:00:00Z\"")).has("publishedAt")).isTrue();
  }
}
