package dev.tessera.agg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.DataType.Primitive;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.LeftSource;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedJoinTest {
  static final Join J = Join.builder("fraud_model").team("risk").online(true)
      .left(new LeftSource("checkouts", "ts", Map.of("buyer", Primitive.STRING, "ts", Primitive.LONG)))
      .part("fraud_features", Map.of("buyer", "user_id"), "buyer")
      .derive("big", "buyer_amount_avg_1h > 100.0").build();

  @Test
  void roundTripsThroughJsonAndSaysItIsAJoin() {
    var p = new PublishedJoin("fraud_model", 2, J, Instant.parse("2026-11-25T12:00:00Z"), "alice");
    assertThat(PublishedJoin.fromJson(p.toJson())).isEqualTo(p);
    assertThat(p.toJson()).startsWith("{\"kind\":\"join\",\"name\":\"fraud_model\",\"version\":2")
        .contains("\"definition\":{\"name\":\"fraud_model\"");
    assertThat(PublishedJoin.fromTree(p.toTree())).isEqualTo(p);
    assertThat(PublishedJoin.topicKey("fraud_model")).isEqualTo("join:fraud_model");
  }

  @Test
  void refusesRecordsThatAreNotPublishedJoins() {
    assertThatThrownBy(() -> PublishedJoin.fromJson("{\"name\":\"x\"}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected name, version and definition");
    assertThatThrownBy(() -> PublishedJoin.fromJson("{\"name\":\"x\",\"version\":1,\"definition\":{\"name\":\"x\",\"parts\":3}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not parse");
    var groupBy = new PublishedJoin("fraud_model", 1, J, Instant.EPOCH, null).toTree().put("kind", "groupBy");
    assertThatThrownBy(() -> PublishedJoin.fromTree(groupBy)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind is groupBy");
  }
}
