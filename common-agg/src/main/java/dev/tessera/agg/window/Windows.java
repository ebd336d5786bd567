package dev.tessera.agg.window;

import static dev.tessera.agg.definition.Window.DAY;
import static dev.tessera.agg.definition.Window.HOUR;
import static dev.tessera.agg.definition.Window.MINUTE;

import dev.tessera.agg.definition.Window;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * The window semantics of DESIGN.md, in one place. Every other class asks here.
 *
 * <ul>
 *   <li>A window {@code W} slides in hops {@code h}: 5 minutes if {@code W < 12h}, 1 hour if
 *       {@code W < 12d}, else 1 day.
 *   <li>Its value as of {@code t} covers events with {@code floor((t - W) / h) * h <= ts < t}: the
 *       head is exact, the tail moves in hops. A lifetime window covers every {@code ts < t}.
 *   <li>Streaming tiles have the size of the smallest hop of a GroupBy (5 minutes if it only has
 *       lifetime aggregates).
 *   <li>A batch IR uploaded for date {@code D} ends at {@code B = D + 1 day, 00:00 UTC} and must
 *       serve every {@code t} in {@code [B, B + 1 day)}: per window, a collapsed part
 *       {@code [collapsedStart, B)} that every such {@code t} covers, plus tail hops over
 *       {@code [tailStart, min(collapsedStart, B))} that slide out during the day.
 * </ul>
 */
public final class Windows {
  public static final long FIVE_MINUTES = 5 * MINUTE;
  /** The window length used for lifetime aggregates in window arithmetic. */
  public static final long LIFETIME = Long.MAX_VALUE;

  private Windows() {}

  /** The hop of a window of {@code windowMillis}; lifetime windows have no hop and get the smallest. */
  public static long hop(long windowMillis) {
    if (windowMillis < 12 * HOUR) return FIVE_MINUTES;
    if (windowMillis < 12 * DAY) return HOUR;
    if (windowMillis == LIFETIME) return FIVE_MINUTES;
    return DAY;
  }

  public static long hop(Window w) {
    return hop(w.millis());
  }

  /** Tile size of a GroupBy: the smallest hop of its windows, 5 minutes when it has none. */
  public static long tileSize(Collection<Window> windows) {
    long s = FIVE_MINUTES * 12 * 24;
    boolean any = false;
    for (Window w : windows) {
      s = Math.min(s, hop(w));
      any = true;
    }
    return any ? s : FIVE_MINUTES;
  }

  /** {@code floor(t / unit) * unit}, correct for negative {@code t}. */
  public static long floor(long t, long unit) {
    return Math.floorDiv(t, unit) * unit;
  }

  /** Start (inclusive) of the window of length {@code windowMillis} as of {@code t} (exclusive end). */
  public static long windowStart(long t, long windowMillis) {
    if (windowMillis == LIFETIME) return Long.MIN_VALUE;
    return floor(t - windowMillis, hop(windowMillis));
  }

  /** True when an event at {@code ts} is in the window of {@code windowMillis} as of {@code t}. */
  public static boolean contains(long t, long windowMillis, long ts) {
    return ts < t && ts >= windowStart(t, windowMillis);
  }

  /** Batch end for an upload as of {@code date}: the next midnight UTC. */
  public static long batchEnd(LocalDate date) {
    return date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The batch end serving time {@code t} when uploads are daily: {@code floor(t / 1 day) * 1 day}. */
  public static long batchEndServing(long t) {
    return floor(t, DAY);
  }

  /** Start of the part of a window that every {@code t} in {@code [b, b + 1 day)} covers. */
  public static long collapsedStart(long batchEnd, long windowMillis) {
    if (windowMillis == LIFETIME) return Long.MIN_VALUE;
    return windowStart(batchEnd + DAY - 1, windowMillis);
  }

  /** Start of the oldest tail hop: the window start at {@code t = b}. */
  public static long tailStart(long batchEnd, long windowMillis) {
    return windowStart(batchEnd, windowMillis);
  }

  /** End (exclusive) of the tail hops: where the collapsed part starts, never after {@code b}. */
  public static long tailEnd(long batchEnd, long windowMillis) {
    if (windowMillis == LIFETIME) return Long.MIN_VALUE;
    return Math.min(collapsedStart(batchEnd, windowMillis), batchEnd);
  }

  /** True when a batch IR ending at {@code batchEnd} can no longer slide exactly at {@code t}. */
  public static boolean isStale(long batchEnd, long t) {
    return t >= batchEnd + DAY;
  }
}
