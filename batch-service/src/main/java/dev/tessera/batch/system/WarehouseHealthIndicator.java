package dev.tessera.batch.system;

import dev.tessera.batch.warehouse.Warehouse;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@code /actuator/health} component {@code warehouse}: UP when a trivial query answers. */
public class WarehouseHealthIndicator implements HealthIndicator {
  private final Warehouse warehouse;

  public WarehouseHealthIndicator(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  @Override
  public Health health() {
    Health.Builder b = warehouse.isReachable() ? Health.up() : Health.down();
    return b.withDetail("warehouse", warehouse.description()).build();
  }
}
