package dev.tessera.registry.definition;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The registry's own counters (Prometheus: {@code tessera_registry_publishes_total{kind=...,change=...}},
 * {@code tessera_registry_validation_failures_total{kind=...,operation=...}}; kind is groupby or
 * join). The outbox backlog gauges live with the relay.
 */
public final class RegistryMetrics {
  private final MeterRegistry registry;

  public RegistryMetrics(MeterRegistry registry) {
    this.registry = registry;
    // every series exists from the start, so a dashboard shows 0 rather than nothing
    for (Kind k : Kind.values()) {
      for (Change c : Change.values()) changes(k, c);
    }
  }

  private Counter changes(Kind kind, Change change) {
    return Counter.builder("tessera.registry.publishes")
        .description("Writes to the registry by what they changed (UNCHANGED: an identical re-publish)")
        .tag("kind", kind.slug()).tag("change", change.name().toLowerCase(Locale.ROOT)).register(registry);
  }

  void changed(Kind kind, Change change) {
    changes(kind, change).increment();
  }

  /** @param operation validate, publish or batch */
  void validationFailed(Kind kind, String operation) {
    Counter.builder("tessera.registry.validation.failures")
        .description("Definitions rejected because they have problems")
        .tag("kind", kind.slug()).tag("operation", operation).register(registry).increment();
  }
}
