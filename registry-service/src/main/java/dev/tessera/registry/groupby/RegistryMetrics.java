package dev.tessera.registry.groupby;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The registry's own counters (Prometheus: {@code tessera_registry_publishes_total{change=...}},
 * {@code tessera_registry_validation_failures_total{operation=...}}). The outbox backlog gauges
 * live with the relay.
 */
public final class RegistryMetrics {
  private final Map<Change, Counter> changes = new EnumMap<>(Change.class);
  private final MeterRegistry registry;

  public RegistryMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Change c : Change.values()) {
      changes.put(c, Counter.builder("tessera.registry.publishes")
          .description("Writes to the registry by what they changed (UNCHANGED: an identical re-publish)")
          .tag("change", c.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
    }
  }

  void changed(Change change) {
    changes.get(change).increment();
  }

  /** @param operation validate, publish or batch */
  void validationFailed(String operation) {
    Counter.builder("tessera.registry.validation.failures")
        .description("Definitions rejected because they have problems")
        .tag("operation", operation).register(registry).increment();
  }
}
