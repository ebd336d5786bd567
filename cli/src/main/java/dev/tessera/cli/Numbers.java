package dev.tessera.cli;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Counts and durations as people read them: 1,254,311 rows, 1m 02s, 0.52%. */
final class Numbers {
  private Numbers() {}

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A JSON number as a count, any other value as its text, a missing one as "-". */
  static String count(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return "-";
    if (n.isIntegralNumber()) return count(n.asLong());
    if (n.isNumber()) return decimal(n.asDouble());
    return n.asString();
  }

  static String decimal(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return String.valueOf(d);
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return count((long) d);
    double abs = Math.abs(d);
    if (abs >= 1000) return String.format(Locale.ROOT, "%,.1f", d);
    if (abs >= 0.001) return String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    return String.format(Locale.ROOT, "%.3e", d);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
  }

  static String elapsed(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
  }

  /** The service writes LocalDateTime without a zone; anything unparsable is treated as absent. */
  static LocalDateTime time(JsonNode n) {
    if (n == null || !n.isString()) return null;
    try {
      return LocalDateTime.parse(n.asString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** "1m 02s" from a job's startedAt to endedAt (or to now while it runs), null when unknown. */
  static String runTime(JsonNode job, LocalDateTime now) {
    LocalDateTime start = time(job.get("startedAt"));
    if (start == null) return null;
    LocalDateTime end = time(job.get("endedAt"));
    return elapsed(Duration.between(start, end == null ? now : end));
  }
}
