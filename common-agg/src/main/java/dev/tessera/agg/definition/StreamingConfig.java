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

  /**
   * True when an event at {@code eventTs} arrives too late to be applied: stream time (the newest
   * event time the stream has seen, so that a replay decides exactly as the first run did) is past
   * the end of the event's tile plus {@code allowedLateness}.
   */
  public boolean isLate(long eventTs, long streamTime, long tileSize) {
    return streamTime > deadline(Math.floorDiv(eventTs, tileSize) * tileSize, tileSize);
  }

  /**
   * True when the tile starting at {@code tileStart} can no longer change: every event it could
   * still take would be late. Its state can then be dropped from the stream's store.
   */
  public boolean isClosed(long tileStart, long streamTime, long tileSize) {
    return streamTime > deadline(tileStart, tileSize);
  }

  /** Tile end + allowed lateness, saturating instead of overflowing for times near the end of time. */
  private long deadline(long tileStart, long tileSize) {
    long end = tileStart > Long.MAX_VALUE - tileSize ? Long.MAX_VALUE : tileStart + tileSize;
    long lateness = allowedLateness.toMillis();
    return end > Long.MAX_VALUE - lateness ? Long.MAX_VALUE : end + lateness;
  }
}
