package dev.tessera.fetcher.definitions;

import dev.tessera.support.RegistryFollower;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code registry} in {@code /actuator/health} and the readiness group: OUT_OF_SERVICE until the
 * registry topic has been read to its end, so a load balancer sends no fetches to an instance that
 * does not know every live GroupBy yet.
 */
public final class RegistryHealthIndicator implements HealthIndicator {
  private final RegistryFollower follower;
  private final String topic;

  /** @param follower null when the topic is not followed (REST only) */
  public RegistryHealthIndicator(RegistryFollower follower, String topic) {
    this.follower = follower;
    this.topic = topic;
  }

  @Override
  public Health health() {
    if (follower == null) return Health.up().withDetail("followTopic", false).build();
    Health.Builder b = follower.isCaughtUp() ? Health.up() : Health.outOfService().withDetail("reason", "catching up on the registry topic");
    return b.withDetail("topic", topic)
        .withDetail("liveGroupBys", follower.all().size())
        .withDetail("liveJoins", follower.allJoins().size())
        .withDetail("badRecords", follower.badRecords())
        .build();
  }
}
