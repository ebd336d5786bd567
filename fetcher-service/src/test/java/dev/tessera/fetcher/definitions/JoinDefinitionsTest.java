package dev.tessera.fetcher.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.fetcher.definitions.JoinDefinitions.ServableJoin;
import dev.tessera.support.LiveGroupBy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A Join is compiled once per Join version and part versions; what its parts resolve to decides whether it can be served. */
class JoinDefinitionsTest {
  final Map<String, LiveGroupBy> live = new ConcurrentHashMap<>();
  final Map<String, LiveGroupBy> pinned = new ConcurrentHashMap<>();
  final Map<String, PublishedJoin> joins = new ConcurrentHashMap<>();
  final AtomicInteger joinRequests = new AtomicInteger();
  final long[] now = {0};

  /** The registry REST API, answered from the maps above. */
  final RegistryClient registry = new RegistryClient(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1)) {
    @Override
    public Optional<LiveGroupBy> latest(String name) {
      return Optional.ofNullable(live.get(name));
    }

    @Override
    public Optional<LiveGroupBy> version(String name, int version) {
      return Optional.ofNullable(pinned.get(name + "@" + version));
    }

    @Override
    public Optional<PublishedJoin> join(String name) {
      joinRequests.incrementAndGet();
      return Optional.ofNullable(joins.get(name));
    }
  };
  final InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
  final GroupByDefinitions groupBys = new GroupByDefinitions(null, registry, clock, Duration.ofMillis(10), Duration.ofMillis(10));
  final JoinDefinitions definitions = new JoinDefinitions(null, registry, groupBys, clock, Duration.ofMillis(10), Duration.ofMillis(10));

  static LiveGroupBy groupBy(String name, int version, String window) {
    CompiledGroupBy g = GroupByCompiler.compile("""
        name: %s
        keys: [user_id]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: SUM, windows: [%s]}]
        """.formatted(name, window)).orThrow();
    return new LiveGroupBy(new PublishedGroupBy(name, version, g.definition(), Instant.EPOCH, "t"), g);
  }

  static PublishedJoin join(String name, int version, Integer pin) {
    Join j = Join.builder(name).online(true)
        .left(new LeftSource("checkouts", "ts", Map.of("buyer", DataType.Primitive.STRING, "ts", DataType.Primitive.LONG)))
        .part(new JoinPart("users", pin, Map.of("buyer", "user_id"), "buyer")).build();
    return new PublishedJoin(name, version, j, Instant.EPOCH, "t");
  }

  @Test
  void aJoinIsCompiledOncePerJoinAndPartVersions() {
    live.put("users", groupBy("users", 1, "1h"));
    joins.put("model", join("model", 1, null));
    ServableJoin first = definitions.require("model");
    assertThat(first.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_1h");
    now[0] += 100; // past the cache time: the registry is asked again, the compiled Join is kept
    assertThat(definitions.require("model")).isSameAs(first);

    live.put("users", groupBy("users", 2, "2h"));
    now[0] += 100;
    ServableJoin second = definitions.require("model");
    assertThat(second).isNotSameAs(first);
    assertThat(second.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_2h");
    assertThat(definitions.require("model")).isSameAs(second);

    joins.put("model", join("model", 2, 1));
    pinned.put("users@1", groupBy("users", 1, "1h"));
    now[0] += 100;
    ServableJoin pinnedToOne = definitions.require("model");
    assertThat(pinnedToOne.version()).isEqualTo(2);
    assertThat(pinnedToOne.compiled().parts().getFirst().groupByVersion()).isEqualTo(1);
    assertThat(pinnedToOne.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_1h");
  }

  @Test
  void unknownNamesRetiredPartsAndUnknownPinnedVersions() {
    assertThatThrownBy(() -> definitions.require("nothing")).isInstanceOf(UnknownJoinException.class).hasMessage("no live Join named 'nothing'");
    assertThatThrownBy(() -> definitions.require("Bad-Name")).isInstanceOf(UnknownJoinException.class);
    joins.put("model", join("model", 1, null));
    assertThatThrownBy(() -> definitions.require("model")).isInstanceOf(UnservableJoinException.class)
        .hasMessageContaining("unknown GroupBy 'users'");
    live.put("users", groupBy("users", 2, "1h"));
    now[0] += 100;
    joins.put("pinned", join("pinned", 1, 7));
    assertThatThrownBy(() -> definitions.require("pinned")).isInstanceOf(UnservableJoinException.class)
        .hasMessageContaining("it has no version 7");
  }
}
