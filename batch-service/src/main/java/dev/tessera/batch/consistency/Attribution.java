package dev.tessera.batch.consistency;

import dev.tessera.agg.definition.Window;
import dev.tessera.agg.window.Windows;
import java.util.Arrays;

/**
 * Gives a mismatch its cause, first rule that applies: the logged version differs from the version
 * the row was recomputed with, because the logged version's definition could not be obtained
 * ({@link Cause#VERSION_MISMATCH}); an event of this entity that was dead-lettered as late lies in
 * the feature's window as of the logged t, {@code windowStart(t) <= eventTime < t} or any time before
 * t for a lifetime feature ({@link Cause#LATE_EVENT}: the warehouse has it, the stream never applied
 * it); the fetcher flagged the batch IR stale ({@link Cause#STALE_BATCH}); else
 * {@link Cause#UNEXPLAINED}. A late event outside the window cannot explain a difference, so it does not.
 */
public final class Attribution {
  private Attribution() {}

  /**
   * @param lateEventTimes the entity's dead-lettered late event times, sorted ascending (empty when none)
   * @param window the feature's window, null for lifetime
   */
  public static Cause cause(int loggedVersion, int comparedVersion, long t, Window window, long[] lateEventTimes, boolean stale) {
    if (loggedVersion != comparedVersion) return Cause.VERSION_MISMATCH;
    if (lateEventIn(lateEventTimes, window == null ? Long.MIN_VALUE : Windows.windowStart(t, window.millis()), t)) return Cause.LATE_EVENT;
    if (stale) return Cause.STALE_BATCH;
    return Cause.UNEXPLAINED;
  }

  /** Whether some time of the sorted array lies in [from, to). */
  static boolean lateEventIn(long[] sorted, long from, long to) {
    if (sorted.length == 0) return false;
    int i = Arrays.binarySearch(sorted, from);
    if (i < 0) i = -i - 1;
    else while (i > 0 && sorted[i - 1] == from) i--;
    return i < sorted.length && sorted[i] < to;
  }
}
