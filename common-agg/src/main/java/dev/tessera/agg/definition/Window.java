package dev.tessera.agg.definition;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sliding window length as written in a definition ({@code 30m}, {@code 1h}, {@code 7d}). The
 * spec is kept as written because it is part of the feature name ({@code 24h} and {@code 1d}
 * cover the same time but name different features). Hop and window start are in
 * {@link dev.tessera.agg.window.Windows}.
 */
public record Window(long millis, String spec) {

  private static final Pattern SPEC = Pattern.compile("([1-9][0-9]{0,8})([mhd])");
  public static final long MINUTE = 60_000L;
  public static final long HOUR = 60 * MINUTE;
  public static final long DAY = 24 * HOUR;
  /** Longest window accepted: ten years, so that window arithmetic never overflows. */
  public static final long MAX_MILLIS = 3660 * DAY;

  public Window {
    Objects.requireNonNull(spec, "spec");
    if (millis <= 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("window must be between 1m and 3660d: " + spec);
    }
  }

  /**
   * Parses {@code <n>m}, {@code <n>h} or {@code <n>d}.
   *
   * @throws IllegalArgumentException with a message a user can act on
   */
  public static Window parse(String spec) {
    if (spec == null) {
      throw new IllegalArgumentException("a window is required, e.g. 1h");
    }
    Matcher m = SPEC.matcher(spec.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("bad window '" + spec + "': expected <n>m, <n>h or <n>d with n >= 1, e.g. 30m, 1h, 7d");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "m" -> MINUTE;
      case "h" -> HOUR;
      default -> DAY;
    };
    if (n * unit > MAX_MILLIS) {
      throw new IllegalArgumentException("bad window '" + spec + "': longer than the maximum of 3660d");
    }
    return new Window(n * unit, spec.trim());
  }

  public static Window ofMinutes(long n) {
    return parse(n + "m");
  }

  public static Window ofHours(long n) {
    return parse(n + "h");
  }

  public static Window ofDays(long n) {
    return parse(n + "d");
  }

  @Override
  public String toString() {
    return spec;
  }
}
