package dev.tessera.agg.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * How the stream side treats time: a tile stays open {@code watermarkDelay} after its end for
 * in-order processing; an event older than {@code tile end + allowedLateness} when it arrives is
 * late (not applied, dead-lettered).
 */
public record StreamingConfig(Duration watermarkDelay, Duration allowedLateness) {
  public static final StreamingConfig DEFAULT = new StreamingConfig(Duration.ofMinutes(5), Duration.ofHours(1));

  public StreamingConfig {
    Objects.requireNonNull(watermarkDelay, "watermarkDelay");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
  }
}
