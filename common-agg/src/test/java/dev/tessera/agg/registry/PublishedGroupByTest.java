package dev.tessera.agg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PublishedGroupByTest {
  static final GroupBy G = GroupBy.builder("fraud_features").team("risk").online(true).keys("user_id")
      .source(EventSource.builder().table("purchases").topic("purchases").column("user_id", "STRING")
          .column("amount", "DOUBLE").column("ts", "LONG").timeColumn("ts").build())
      .aggregate("amount", Operation.AVG, "1h", "24h").build();

  @Test
  void roundTripsThroughJson() {
    var p = new PublishedGroupBy("fraud_features", 3, G, Instant.parse("2026-11-25T12:00:00Z"), "alice");
    var back = PublishedGroupBy.fromJson(p.toJson());
    assertThat(back).isEqualTo(p);
    assertThat(p.toJson()).contains("\"version\":3").contains("\"definition\":{\"name\":\"fraud_features\"");
  }

  @Test
  void refusesRecordsThatAreNotPublishedGroupBys() {
    assertThatThrownBy(() -> PublishedGroupBy.fromJson("{\"name\":\"x\"}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected name, version and definition");
    assertThatThrownBy(() -> PublishedGroupBy.fromJson("{\"name\":\"x\",\"version\":1,\"definition\":{\"name\":\"x\",\"keys\":[]}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not parse");
    assertThatThrownBy(() -> new PublishedGroupBy("other", 1, G, Instant.EPOCH, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
