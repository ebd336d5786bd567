package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemotePropertiesTest {

  @Test
  void unsetMeansStandaloneWithTheDocumentedDefaults() {
    RemoteProperties p = new RemoteProperties(null, null, null, null, null, null, null, null, null, null);
    assertThat(p.role()).isEqualTo("standalone");
    assertThat(p.manager()).isFalse();
    assertThat(p.worker()).isFalse();
    assertThat(p.topic()).isEqualTo("tessera.batch.partitions");
    assertThat(p.group()).isEqualTo("tessera-batch-workers");
    assertThat(p.workerId()).isNotBlank();
    assertThat(p.effectiveConcurrency()).isPositive();
    assertThat(p.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.noWorkerTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aBadSettingNamesItsProperty() {
    assertThatThrownBy(() -> new RemoteProperties("boss", null, null, null, null, null, null, null, null, null))
        .hasMessageContaining("tessera.batch.remote.role");
    assertThatThrownBy(() -> new RemoteProperties("WORKER", null, 0, null, null, null, null, null, null, null))
        .hasMessageContaining("tessera.batch.remote.topic-partitions");
    assertThatThrownBy(() -> new RemoteProperties("manager", null, null, null, null, null, null, Duration.ZERO, null, null))
        .hasMessageContaining("tessera.batch.remote.no-worker-timeout");
  }
}
