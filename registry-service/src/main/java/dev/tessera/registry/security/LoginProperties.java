package dev.tessera.registry.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login throttling ({@code tessera.registry.login.*}): after {@code freeFailures} wrong passwords or
 * tokens of one account from one address, each further attempt waits {@code baseWait}, doubling up
 * to {@code maxWait}, and is answered 429 until then. The batch and stream services apply the same
 * rule to the credentials they check with the registry.
 */
@ConfigurationProperties("tessera.registry.login")
public record LoginProperties(
    @DefaultValue("5") int freeFailures,
    @DefaultValue("1s") Duration baseWait,
    @DefaultValue("15m") Duration maxWait) {

  public LoginProperties {
    if (freeFailures < 1) throw new IllegalArgumentException("tessera.registry.login.free-failures must be at least 1, was " + freeFailures);
    if (baseWait == null || baseWait.isNegative() || baseWait.isZero()) {
      throw new IllegalArgumentException("tessera.registry.login.base-wait must be positive, was " + baseWait);
    }
    if (maxWait == null || maxWait.compareTo(baseWait) < 0) {
      throw new IllegalArgumentException("tessera.registry.login.max-wait must be at least base-wait, was " + maxWait);
    }
  }
}
