package dev.tessera.support;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.time.Instant;
import java.util.Map;

/** Small GroupBys and Joins over them for the definitions tests. */
final class TestDefinitions {
  private TestDefinitions() {}

  static GroupBy groupBy(String name, String window) {
    return GroupBy.builder(name).keys("user_id").online(true)
        .source(EventSource.builder().table("purchases").topic("purchases").column("user_id", "STRING").column("amount", "DOUBLE")
            .column("ts", "LONG").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, window).build();
  }

  static PublishedGroupBy published(String name, int version, String window) {
    return new PublishedGroupBy(name, version, groupBy(name, window), Instant.EPOCH, "t");
  }

  /** A one-part Join on GroupBy {@code users}, pinned to {@code pin} unless null. */
  static PublishedJoin join(String name, int version, Integer pin) {
    Join j = Join.builder(name).online(true)
        .left(new LeftSource("checkouts", "ts", Map.of("buyer", DataType.Primitive.STRING, "ts", DataType.Primitive.LONG)))
        .part(new JoinPart("users", pin, Map.of("buyer", "user_id"), "buyer")).build();
    return new PublishedJoin(name, version, j, Instant.EPOCH, "t");
  }
}
