package dev.tessera.batch.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bad registry setting fails at start with its name in the message. */
class RegistryClientPropertiesTest {
  @Test
  void theUrlIsValidated() {
    assertThat(new RegistryClientProperties(null, null).registryUrl()).isEqualTo(URI.create("http://localhost:8081"));
    assertThatThrownBy(() -> new RegistryClientProperties(URI.create("localhost:8081"), null))
        .hasMessageContaining("tessera.batch.registry-url");
    assertThatThrownBy(() -> new RegistryClientProperties(null, Duration.ZERO)).hasMessageContaining("tessera.batch.registry-timeout");
  }
}
