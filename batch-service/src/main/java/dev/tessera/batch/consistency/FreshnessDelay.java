package dev.tessera.batch.consistency;

import java.util.Locale;

/**
 * How far behind the fetch was, for the mismatches of {@link Cause#ARRIVED_AFTER_FETCH}: the fetch's
 * time minus the event time of the oldest event it could not have seen, counted in buckets (each
 * bucket's column counts delays up to its bound). The report shows the distribution per feature
 * beside the causes: a few seconds is the stream's freshness, hours are back-dated events or an outage.
 */
enum FreshnessDelay {
  UP_TO_1S(1_000L), UP_TO_10S(10_000L), UP_TO_1M(60_000L), UP_TO_10M(600_000L), UP_TO_1H(3_600_000L), UP_TO_1D(86_400_000L),
  MORE(Long.MAX_VALUE);

  private final long bound;

  FreshnessDelay(long bound) {
    this.bound = bound;
  }

  static FreshnessDelay of(long delayMillis) {
    for (FreshnessDelay d : values()) if (delayMillis <= d.bound) return d;
    return MORE;
  }

  /** The report's label: {@code <=1s}, ..., {@code >1d}. */
  String label() {
    return this == MORE ? ">1d" : "<=" + name().substring("UP_TO_".length()).toLowerCase(Locale.ROOT);
  }

  String column() {
    return "delay_" + (this == MORE ? "more" : name().substring("UP_TO_".length()).toLowerCase(Locale.ROOT));
  }
}
