package dev.tessera.cli;

/** Milliseconds as people write windows: 5m, 1h, 1d. */
final class Durations {
  private Durations() {}

  static String format(long millis) {
    if (millis % 86_400_000L == 0) return millis / 86_400_000L + "d";
    if (millis % 3_600_000L == 0) return millis / 3_600_000L + "h";
    if (millis % 60_000L == 0) return millis / 60_000L + "m";
    return millis / 1000.0 + "s";
  }
}
