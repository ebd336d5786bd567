package dev.tessera.registry.groupby;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.Aggregation;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.registry.definition.LineDiff;
import dev.tessera.registry.groupby.DefinitionDiff.ElementChange;
import dev.tessera.registry.groupby.DefinitionDiff.FieldChange;
import dev.tessera.registry.groupby.DefinitionDiff.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A diff says what changed in the user's terms. */
class DefinitionDiffTest {

  static EventSource.Builder source() {
    return EventSource.builder().table("purchases").topic("purchases").column("user_id", "STRING").column("merchant", "STRING")
        .column("amount", "DOUBLE").column("ts", "LONG").where("amount > 0.0").timeColumn("ts");
  }

  static GroupBy.Builder v1() {
    return GroupBy.builder("g").team("risk").online(true).keys("user_id").source(source().build())
        .aggregate("amount", Operation.SUM, "1h", "24h")
        .aggregate("amount", Operation.COUNT, "1d");
  }

  @Test
  void identicalVersionsHaveAnEmptyDiff() {
    DefinitionDiff d = DefinitionDiff.between("g", 1, v1().build(), 2, v1().build());
    assertThat(d.isEmpty()).isTrue();
    assertThat(d.sameComputation()).isTrue();
    assertThat(d.features().added()).isEmpty();
    assertThat(LineDiff.hasChanges(d.document())).isFalse();
  }

  @Test
  void aWindowAddedToAnAggregationIsAChangeOfThatAggregationAndNewFeatures() {
    GroupBy b = GroupBy.builder("g").team("risk").online(true).keys("user_id").source(source().build())
        .aggregate("amount", Operation.SUM, "1h", "24h", "7d")
        .aggregate("amount", Operation.COUNT, "1d").build();
    DefinitionDiff d = DefinitionDiff.between("g", 1, v1().build(), 2, b);
    assertThat(d.sameComputation()).isFalse();
    assertThat(d.aggregations()).containsExactly(new ElementChange(Kind.CHANGED, 0, 0, "SUM(amount) over 1h, 24h, 7d",
        List.of(new FieldChange("windows", null, "7d"))));
    assertThat(d.features().added()).containsExactly("amount_sum_7d");
    assertThat(d.features().removed()).isEmpty();
    assertThat(d.document()).anySatisfy(l -> {
      assertThat(l.kind()).isEqualTo(LineDiff.Kind.ADDED);
      assertThat(l.text()).contains("7d");
    });
  }

  @Test
  void addedRemovedAndMovedAggregations() {
    GroupBy b = GroupBy.builder("g").team("risk").online(true).keys("user_id").source(source().build())
        .aggregate("amount", Operation.COUNT, "1d")
        .aggregation(Aggregation.of("merchant", Operation.LAST_K).withArg("k", "3")).build();
    DefinitionDiff d = DefinitionDiff.between("g", 1, v1().build(), 2, b);
    assertThat(d.aggregations()).containsExactly(
        new ElementChange(Kind.MOVED, 1, 0, "COUNT(amount) over 1d", List.of()),
        new ElementChange(Kind.ADDED, null, 1, "LAST_K(merchant) over lifetime {k=3}", List.of()),
        new ElementChange(Kind.REMOVED, 0, null, "SUM(amount) over 1h, 24h", List.of()));
    assertThat(d.features().added()).containsExactly("merchant_last_k");
    assertThat(d.features().removed()).containsExactly("amount_sum_1h", "amount_sum_24h");
  }

  @Test
  void sourceChangesFieldByField() {
    GroupBy b = GroupBy.builder("g").team("risk").online(true).keys("user_id")
        .source(EventSource.builder().table("purchases_v2").topic("purchases").column("user_id", "STRING").column("merchant", "STRING")
            .column("amount", "DOUBLE").column("ts", "LONG").column("country", "STRING").where("amount > 1.0").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, "1h", "24h")
        .aggregate("amount", Operation.COUNT, "1d").build();
    DefinitionDiff d = DefinitionDiff.between("g", 1, v1().build(), 2, b);
    assertThat(d.sources()).hasSize(1);
    assertThat(d.sources().getFirst().kind()).isEqualTo(Kind.CHANGED);
    assertThat(d.sources().getFirst().changes()).containsExactly(
        new FieldChange("table", "purchases", "purchases_v2"),
        new FieldChange("schema.country", null, "STRING"),
        new FieldChange("query.wheres", "amount > 0.0", null),
        new FieldChange("query.wheres", null, "amount > 1.0"));
    assertThat(d.aggregations()).isEmpty();
  }

  @Test
  void metadataOnlyChangesKeepTheComputation() {
    DefinitionDiff d = DefinitionDiff.between("g", 1, v1().build(), 1, v1().team("fraud").online(false).build());
    assertThat(d.sameComputation()).isTrue();
    assertThat(d.metadata()).containsExactly(new FieldChange("team", "risk", "fraud"), new FieldChange("online", "true", "false"));
  }

  @Test
  void keysAddedRemovedOrReordered() {
    GroupBy two = GroupBy.builder("g").team("risk").online(true).keys("user_id", "merchant").source(source().build())
        .aggregate("amount", Operation.SUM, "1h", "24h").aggregate("amount", Operation.COUNT, "1d").build();
    GroupBy swapped = GroupBy.builder("g").team("risk").online(true).keys("merchant", "user_id").source(source().build())
        .aggregate("amount", Operation.SUM, "1h", "24h").aggregate("amount", Operation.COUNT, "1d").build();
    assertThat(DefinitionDiff.between("g", 1, v1().build(), 2, two).keys().added()).containsExactly("merchant");
    assertThat(DefinitionDiff.between("g", 2, two, 3, swapped).keys().reordered()).isTrue();
  }
}
