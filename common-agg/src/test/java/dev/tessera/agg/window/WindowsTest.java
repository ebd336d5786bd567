package dev.tessera.agg.window;

import static dev.tessera.agg.definition.Window.DAY;
import static dev.tessera.agg.definition.Window.HOUR;
import static dev.tessera.agg.definition.Window.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.Window;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DESIGN.md "Window semantics", rule by rule. */
class WindowsTest {
  static final long B = 1_717_286_400_000L; // 2024-06-02T00:00Z

  @Test
  void hopIsFiveMinutesBelowTwelveHoursOneHourBelowTwelveDaysElseOneDay() {
    assertThat(Windows.hop(Window.parse("1m"))).isEqualTo(5 * MINUTE);
    assertThat(Windows.hop(Window.parse("719m"))).isEqualTo(5 * MINUTE);
    assertThat(Windows.hop(Window.parse("12h"))).isEqualTo(HOUR);
    assertThat(Windows.hop(Window.parse("11d"))).isEqualTo(HOUR);
    assertThat(Windows.hop(Window.parse("287h"))).isEqualTo(HOUR);
    assertThat(Windows.hop(Window.parse("12d"))).isEqualTo(DAY);
    assertThat(Windows.hop(Window.parse("30d"))).isEqualTo(DAY);
  }

  @Test
  void tileSizeIsTheSmallestHopAndFiveMinutesForLifetimeOnly() {
    assertThat(Windows.tileSize(List.of(Window.parse("7d"), Window.parse("30d")))).isEqualTo(HOUR);
    assertThat(Windows.tileSize(List.of(Window.parse("30d")))).isEqualTo(DAY);
    assertThat(Windows.tileSize(List.of(Window.parse("1h"), Window.parse("7d")))).isEqualTo(5 * MINUTE);
    assertThat(Windows.tileSize(List.of())).isEqualTo(5 * MINUTE);
  }

  @Test
  void headIsExactAndTailSlidesInHops() {
    long t = B + 10 * HOUR + 7 * MINUTE + 13_000;
    // 1h window, 5m hop: starts at floor((t - 1h) / 5m) * 5m = B + 9h05m
    assertThat(Windows.windowStart(t, HOUR)).isEqualTo(B + 9 * HOUR + 5 * MINUTE);
    // 24h window, 1h hop
    assertThat(Windows.windowStart(t, DAY)).isEqualTo(B - DAY + 10 * HOUR);
    // 30d window, 1d hop
    assertThat(Windows.windowStart(t, 30 * DAY)).isEqualTo(B - 30 * DAY);
    assertThat(Windows.windowStart(t, Windows.LIFETIME)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void anEventAtExactlyTIsNotIncludedAndTheSpanIsBetweenWAndWPlusHop() {
    long t = B + 3 * HOUR;
    assertThat(Windows.contains(t, HOUR, t)).isFalse();
    assertThat(Windows.contains(t, HOUR, t - 1)).isTrue();
    assertThat(Windows.contains(t, HOUR, t - HOUR)).isTrue();
    assertThat(Windows.contains(t + 1, HOUR, t - HOUR)).isTrue();
    assertThat(Windows.contains(t + 5 * MINUTE, HOUR, t - HOUR)).isFalse();
    for (long w : new long[] {MINUTE, HOUR, 11 * HOUR, 12 * HOUR, DAY, 7 * DAY, 12 * DAY, 30 * DAY}) {
      for (long dt = 0; dt < DAY; dt += 7 * MINUTE + 11) {
        long span = (B + dt) - Windows.windowStart(B + dt, w);
        assertThat(span).isBetween(w, w + Windows.hop(w));
      }
    }
  }

  @Test
  void worksBeforeTheEpoch() {
    assertThat(Windows.floor(-1, 5 * MINUTE)).isEqualTo(-5 * MINUTE);
    assertThat(Windows.windowStart(0, HOUR)).isEqualTo(-HOUR);
  }

  @Test
  void batchIrPartsCoverTheWindowForEveryTOfTheDay() {
    assertThat(Windows.batchEnd(LocalDate.parse("2024-06-01"))).isEqualTo(B);
    for (long w : new long[] {MINUTE, HOUR, 11 * HOUR, 12 * HOUR, DAY, 7 * DAY, 11 * DAY, 12 * DAY, 30 * DAY, 20_000 * MINUTE}) {
      long collapsed = Windows.collapsedStart(B, w);
      long tailStart = Windows.tailStart(B, w);
      long tailEnd = Windows.tailEnd(B, w);
      assertThat(tailStart).isLessThanOrEqualTo(tailEnd);
      assertThat(tailEnd).isLessThanOrEqualTo(B);
      for (long dt = 0; dt < DAY; dt += 13 * MINUTE + 7) {
        long ws = Windows.windowStart(B + dt, w);
        // every t of the day needs the whole collapsed part and the tail from its window start on
        assertThat(ws).as("w=%d dt=%d", w, dt).isLessThanOrEqualTo(Math.max(collapsed, Math.min(B, ws)));
        assertThat(ws).isGreaterThanOrEqualTo(tailStart);
      }
    }
  }

  @Test
  void aBatchIrIsStaleFromOneDayAfterItsEnd() {
    assertThat(Windows.isStale(B, B + DAY - 1)).isFalse();
    assertThat(Windows.isStale(B, B + DAY)).isTrue();
  }
}
