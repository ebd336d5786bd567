package dev.tessera.registry.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** Formatting for the templates ({@code ${@uiFormat.time(x)}}): times in UTC, and how long ago. */
@Component("uiFormat")
public class UiFormat {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final Clock clock;

  public UiFormat(Clock clock) {
    this.clock = clock;
  }

  public String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  /** {@code just now}, {@code 5 min ago}, {@code 3 h ago}, {@code 2 days ago}. */
  public String ago(Instant t) {
    if (t == null) return "";
    Duration d = Duration.between(t, clock.instant());
    if (d.isNegative() || d.toSeconds() < 45) return "just now";
    if (d.toMinutes() < 60) return d.toMinutes() + " min ago";
    if (d.toHours() < 48) return d.toHours() + " h ago";
    return d.toDays() + " days ago";
  }
}
