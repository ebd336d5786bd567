package dev.tessera.agg.tile;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.definition.Window;
import dev.tessera.agg.window.Windows;
import java.util.Arrays;

/**
 * Which streaming tiles and hour rollups a fetch as of {@code t} reads (DESIGN.md "Storage layout
 * in Redis"), so that it reads a few dozen hash fields instead of every 5-minute tile since the
 * batch end (288 a day per entity, and up to twice that kept).
 *
 * <p>The merge puts each tile into the band between two consecutive window reaches
 * ({@code max(window start, batch end)}, see {@link OnlineMerge}). An hour can be read as its
 * rollup when the whole hour lies in one band and before {@code t}: no reach falls strictly inside
 * it and it ends at or before {@code t}. Every other hour is read tile by tile, from the first reach
 * on and before {@code t}. Reaches of hour and day windows and the batch end are hour-aligned, so
 * only the hour that holds a 5-minute window's start and the hour of {@code t} are read as tiles.
 *
 * <p>The selection assumes a batch end; it is right for any batch end at or after it (tiles before
 * the real one are read and dropped by the merge), so a reader can plan with the upload marker it
 * saw last and check the marker it reads with the same round trip ({@link #holdsFor}).
 *
 * @param batchEnd the batch end the selection assumed
 * @param rollupStarts starts of the hours read as rollups, ascending
 * @param tileStarts starts of the tiles read one by one, ascending
 */
public record TileSelection(long batchEnd, long[] rollupStarts, long[] tileStarts) {
  /** The span of a rollup. */
  public static final long ROLLUP = Window.HOUR;
  /** A selection of more fields than this is not made: the reader takes the whole hash instead. */
  public static final int MAX_FIELDS = 1024;

  /** True when a GroupBy's tiles are rolled up into hours: its tiles are shorter than an hour. */
  public static boolean rollsUp(long tileSize) {
    return tileSize < ROLLUP && ROLLUP % tileSize == 0;
  }

  /**
   * The fields a fetch of {@code groupBy} as of {@code t} needs when the batch end is at or after
   * {@code batchEnd}, or null when rollups do not apply or the selection would be larger than
   * {@link #MAX_FIELDS} (an upload days late): then the whole hash is read.
   */
  public static TileSelection of(CompiledGroupBy groupBy, long t, long batchEnd) {
    long tileSize = groupBy.tileSize();
    if (!rollsUp(tileSize)) return null;
    long[] reaches = groupBy.windowGroups().stream()
        .mapToLong(g -> Math.max(windowStart(g, t), batchEnd)).sorted().toArray();
    long from = reaches[0];
    if (from >= t) return new TileSelection(batchEnd, new long[0], new long[0]);
    if (from < t - MAX_FIELDS * ROLLUP) return null; // also a lifetime window without batch end
    long hours = (Windows.floor(t - 1, ROLLUP) - Windows.floor(from, ROLLUP)) / ROLLUP + 1;
    long[] rollups = new long[(int) hours];
    long[] tiles = new long[16];
    int r = 0, n = 0;
    for (long h = Windows.floor(from, ROLLUP); h < t; h += ROLLUP) {
      long end = h + ROLLUP;
      if (end <= t && h >= from && !reachInside(reaches, h, end)) {
        rollups[r++] = h;
        continue;
      }
      for (long s = Math.max(h, Windows.floor(from, tileSize)); s < end && s < t; s += tileSize) {
        if (n == tiles.length) tiles = Arrays.copyOf(tiles, n * 2);
        tiles[n++] = s;
      }
      if (r + n > MAX_FIELDS) return null;
    }
    return new TileSelection(batchEnd, Arrays.copyOf(rollups, r), Arrays.copyOf(tiles, n));
  }

  /** True when the selection reads what a fetch needs given the upload marker read with it (null: none). */
  public boolean holdsFor(Long uploadMarker) {
    return uploadMarker != null && uploadMarker >= batchEnd;
  }

  /** The oldest hour read as a rollup, or {@link Long#MAX_VALUE} when none is. */
  public long oldestRollup() {
    return rollupStarts.length == 0 ? Long.MAX_VALUE : rollupStarts[0];
  }

  public int fieldCount() {
    return rollupStarts.length + tileStarts.length;
  }

  private static long windowStart(WindowGroup g, long t) {
    return g.isLifetime() ? Long.MIN_VALUE : Windows.windowStart(t, g.millis());
  }

  private static boolean reachInside(long[] reaches, long from, long end) {
    for (long reach : reaches) {
      if (reach > from && reach < end) return true;
    }
    return false;
  }
}
