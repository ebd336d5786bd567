package dev.tessera.agg.definition;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in definitions use the window notation plus seconds: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class DurationSpec {
  private static final Pattern SPEC = Pattern.compile("([0-9]{1,9})([smhd])");

  private DurationSpec() {}

  public static Duration parse(String spec) {
    Matcher m = spec == null ? null : SPEC.matcher(spec.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("bad duration '" + spec + "': expected <n>s, <n>m, <n>h or <n>d, e.g. 5m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** The shortest spec for a duration: whole days, hours, minutes, else seconds. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s != 0 && s % 86_400 == 0) return s / 86_400 + "d";
    if (s != 0 && s % 3_600 == 0) return s / 3_600 + "h";
    if (s != 0 && s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}
