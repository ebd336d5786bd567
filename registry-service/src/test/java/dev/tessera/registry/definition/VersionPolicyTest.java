package dev.tessera.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.StreamingConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** DESIGN.md "Versions": sources, keys or aggregations make a new version; metadata does not. */
class VersionPolicyTest {

  static GroupBy.Builder base() {
    return GroupBy.builder("g").team("risk").description("d").online(true).keys("user_id")
        .source(EventSource.builder().table("t").topic("t").column("user_id", "STRING").column("amount", "DOUBLE")
            .column("ts", "LONG").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, "1h");
  }

  @Test
  void theFirstPublishCreatesVersionOne() {
    assertThat(VersionPolicy.decide(null, null, base().build())).isEqualTo(Change.CREATED);
    assertThat(VersionPolicy.versionAfter(Change.CREATED, 0)).isEqualTo(1);
  }

  @Test
  void anIdenticalDefinitionChangesNothing() {
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, base().build(), base().build())).isEqualTo(Change.UNCHANGED);
    assertThat(VersionPolicy.versionAfter(Change.UNCHANGED, 4)).isEqualTo(4);
  }

  @Test
  void teamDescriptionOnlineAndStreamingAreMetadata() {
    GroupBy latest = base().build();
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, latest, base().team("fraud").build())).isEqualTo(Change.METADATA_UPDATED);
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, latest, base().description("other").build())).isEqualTo(Change.METADATA_UPDATED);
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, latest, base().online(false).build())).isEqualTo(Change.METADATA_UPDATED);
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, latest,
        base().streaming(new StreamingConfig(Duration.ofMinutes(1), Duration.ofHours(2))).build())).isEqualTo(Change.METADATA_UPDATED);
    assertThat(VersionPolicy.versionAfter(Change.METADATA_UPDATED, 4)).isEqualTo(4);
  }

  @Test
  void aChangedAggregationKeyOrSourceIsANewVersion() {
    GroupBy latest = base().build();
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, latest, base().aggregate("amount", Operation.COUNT, "1h").build()))
        .isEqualTo(Change.NEW_VERSION);
    GroupBy otherSource = GroupBy.builder("g").team("risk").description("d").online(true).keys("user_id")
        .source(EventSource.builder().table("t2").topic("t").column("user_id", "STRING").column("amount", "DOUBLE")
            .column("ts", "LONG").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, "1h").build();
    assertThat(VersionPolicy.decide(DefinitionStatus.ACTIVE, latest, otherSource)).isEqualTo(Change.NEW_VERSION);
    assertThat(VersionPolicy.versionAfter(Change.NEW_VERSION, 4)).isEqualTo(5);
  }

  @Test
  void publishingARetiredNameAgainIsANewVersionEvenWhenIdentical() {
    assertThat(VersionPolicy.decide(DefinitionStatus.RETIRED, base().build(), base().build())).isEqualTo(Change.NEW_VERSION);
  }
}
