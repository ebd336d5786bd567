package dev.tessera.stream.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.stream.topology.TopologySettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The settings bind from properties (or the environment), default sensibly and fail fast naming the property. */
class StreamPropertiesTest {

  static StreamProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tessera.stream", StreamProperties.class);
  }

  @Test
  void defaults() {
    StreamProperties p = bind(Map.of());
    assertThat(p.registryTopic()).isEqualTo("tessera.registry");
    assertThat(p.autoStart()).isFalse();
    assertThat(p.tileRetention()).isEqualTo(Duration.ofDays(2));
    assertThat(p.commitInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(p.stores()).isEqualTo(TopologySettings.StoreKind.ROCKSDB);
    assertThat(p.applicationId("fraud_features", 3)).isEqualTo("tessera-stream-fraud_features-v3");
    assertThat(p.deadLetterTopic("fraud_features")).isEqualTo("tessera.deadletter.fraud_features");
  }

  @Test
  void bindsKebabCaseValues() {
    StreamProperties p = bind(Map.of("tessera.stream.auto-start", "true", "tessera.stream.flush-interval", "50ms",
        "tessera.stream.stores", "in-memory", "tessera.stream.streams-properties.num.standby.replicas", "1"));
    assertThat(p.autoStart()).isTrue();
    assertThat(p.flushInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(p.stores()).isEqualTo(TopologySettings.StoreKind.IN_MEMORY);
    assertThat(p.streamsProperties()).containsEntry("num.standby.replicas", "1");
  }

  @Test
  void withSourcePartitioningTheCommitIntervalIsNoLongerPartOfFreshnessAndDefaultsLonger() {
    assertThat(bind(Map.of("tessera.stream.partitioning", "source")).commitInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(bind(Map.of("tessera.stream.partitioning", "source", "tessera.stream.commit-interval", "200ms")).commitInterval())
        .isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aBadSettingFailsNamingTheProperty() {
    assertThatThrownBy(() -> bind(Map.of("tessera.stream.tile-retention", "PT12H")))
        .isInstanceOf(BindException.class).rootCause()
        .hasMessage("tessera.stream.tile-retention must be at least P2D (DESIGN.md: streaming tiles are kept at least 2 days), was PT12H");
    assertThatThrownBy(() -> bind(Map.of("tessera.stream.threads-per-job", "0"))).rootCause()
        .hasMessageContaining("tessera.stream.threads-per-job must be between 1 and 64");
    assertThatThrownBy(() -> bind(Map.of("tessera.stream.flush-interval", "0s"))).rootCause()
        .hasMessageContaining("tessera.stream.flush-interval must be positive");
  }
}
