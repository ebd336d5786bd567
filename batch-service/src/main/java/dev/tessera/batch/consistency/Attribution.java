package dev.tessera.batch.consistency;

import dev.tessera.agg.definition.Window;
import dev.tessera.agg.window.Windows;
import java.util.Arrays;

/**
 * Gives a mismatch its cause, first rule that applies (DESIGN.md "Consistency check"):
 * <ol>
 *   <li>the logged version differs from the version the row was recomputed with, because the logged
 *       version's definition could not be obtained ({@link Cause#VERSION_MISMATCH});
 *   <li>an event of this entity that was dead-lettered as late lies in the feature's window as of the
 *       logged t, {@code windowStart(t) <= eventTime < t} or any time before t for a lifetime feature
 *       ({@link Cause#LATE_EVENT}: the warehouse has it, the stream never applied it);
 *   <li>an event in the window reached Kafka after the fetch, or less than {@link #STREAM_DELAY_MILLIS}
 *       before it ({@link Cause#ARRIVED_AFTER_FETCH}, with the delay: the fetch's time minus the oldest
 *       such event's time);
 *   <li>t is inside a tile, and an event at or after t in that tile had reached Kafka before the fetch
 *       ({@link Cause#AT_MILLIS_IN_TILE});
 *   <li>an event in the window, after the batch end, had reached Kafka before the fetch, but the served
 *       data's newest tile ended before that event's tile ({@link Cause#STREAM_BEHIND});
 *   <li>the fetcher flagged the batch IR stale ({@link Cause#STALE_BATCH});
 *   <li>else {@link Cause#UNEXPLAINED}.
 * </ol>
 * An event outside the window cannot explain a difference, so it does not. The record times come from
 * the {@code _timestamp} column that ingest lands; events without one explain nothing by their arrival.
 */
public final class Attribution {
  /**
   * How long an event that reached Kafka may take to be in Redis on a healthy system (the stream's
   * flush interval, commit and processing, with a margin): a fetch this soon after the event's record
   * time may not see it.
   */
  public static final long STREAM_DELAY_MILLIS = 5_000;

  private Attribution() {}

  /** The cause of a mismatch, and for {@link Cause#ARRIVED_AFTER_FETCH} how far behind the fetch was (else null). */
  public record Attributed(Cause cause, Long delay) {
    static Attributed of(Cause cause) {
      return new Attributed(cause, null);
    }
  }

  /**
   * One logged fetch: the time its values are as of, when it was served ({@code fetchedAt}: the log
   * time; t when unknown), what its meta said ({@code latestTileEnd}, {@code batchEnd}; null when absent)
   * and the GroupBy's tile size.
   */
  public record Fetch(long t, long fetchedAt, Long latestTileEnd, Long batchEnd, long tileSize) {}

  /** The events of one entity with their record times (when they reached Kafka), sorted by event time. */
  public record Arrivals(long[] times, long[] recordTimes) {
    static final Arrivals NONE = new Arrivals(new long[0], new long[0]);
  }

  /** The cause without arrival information (a log without fetch times, events without record times). */
  public static Cause cause(int loggedVersion, int comparedVersion, long t, Window window, long[] lateEventTimes, boolean stale) {
    return cause(loggedVersion, comparedVersion, new Fetch(t, t, null, null, 1), window, lateEventTimes, Arrivals.NONE, stale).cause();
  }

  /**
   * @param lateEventTimes the entity's dead-lettered late event times, sorted ascending (empty when none)
   * @param window the feature's window, null for lifetime
   */
  public static Attributed cause(int loggedVersion, int comparedVersion, Fetch f, Window window, long[] lateEventTimes, Arrivals arrivals,
      boolean stale) {
    if (loggedVersion != comparedVersion) return Attributed.of(Cause.VERSION_MISMATCH);
    long t = f.t();
    long from = window == null ? Long.MIN_VALUE : Windows.windowStart(t, window.millis());
    if (lateEventIn(lateEventTimes, from, t)) return Attributed.of(Cause.LATE_EVENT);
    long[] times = arrivals.times();
    long[] recorded = arrivals.recordTimes();
    int first = lowerBound(times, from);
    int end = lowerBound(times, t);
    for (int i = first; i < end; i++) {
      // sorted by event time: the first one found is the oldest the fetch could not have seen
      if (recorded[i] > f.fetchedAt() - STREAM_DELAY_MILLIS) return new Attributed(Cause.ARRIVED_AFTER_FETCH, f.fetchedAt() - times[i]);
    }
    if (Math.floorMod(t, f.tileSize()) != 0) {
      long tileEnd = Math.floorDiv(t, f.tileSize()) * f.tileSize() + f.tileSize();
      for (int i = end; i < times.length && times[i] < tileEnd; i++) {
        if (recorded[i] <= f.fetchedAt()) return Attributed.of(Cause.AT_MILLIS_IN_TILE);
      }
    }
    for (int i = first; i < end; i++) {
      boolean inTiles = f.batchEnd() == null || times[i] >= f.batchEnd();
      long eventTileEnd = Math.floorDiv(times[i], f.tileSize()) * f.tileSize() + f.tileSize();
      if (inTiles && (f.latestTileEnd() == null || f.latestTileEnd() < eventTileEnd)) return Attributed.of(Cause.STREAM_BEHIND);
    }
    if (stale) return Attributed.of(Cause.STALE_BATCH);
    return Attributed.of(Cause.UNEXPLAINED);
  }

  /** Whether some time of the sorted array lies in [from, to). */
  static boolean lateEventIn(long[] sorted, long from, long to) {
    int i = lowerBound(sorted, from);
    return i < sorted.length && sorted[i] < to;
  }

  /** The index of the first element of the sorted array that is {@code >= value}. */
  static int lowerBound(long[] sorted, long value) {
    if (sorted.length == 0) return 0;
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) return -i - 1;
    while (i > 0 && sorted[i - 1] == value) i--;
    return i;
  }
}
