package dev.tessera.fetcher.fetch;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.agg.window.Windows;

/**
 * The {@link TileSelection} of one GroupBy version as of a fetch time, made once per tile period
 * instead of once per fetch: making it (the window reaches, a few dozen starts) and turning it into
 * Redis fields were about a tenth of a one-row Join's CPU and allocation (docs/benchmarks.md,
 * "Fetcher CPU per Join request").
 *
 * <p>Why one selection serves a whole tile period: {@link TileSelection#of} depends on {@code t}
 * through the window starts {@code floor(t - w, hop(w))} and through comparisons of {@code t} with
 * tile-aligned times (tile and hour starts, the window reaches, the batch end). When every window
 * length and hop is a multiple of the tile size and the batch end is tile-aligned, the window
 * starts are the same for all {@code t} in {@code [k * tile, (k + 1) * tile)} and the comparisons
 * the same for all {@code t} in {@code (k * tile, (k + 1) * tile]}: so the selection is the same
 * strictly inside a tile period. On a tile boundary, or for a GroupBy or batch end not so aligned,
 * it is made afresh. {@code SelectionCacheTest} checks this against {@code TileSelection.of}.
 *
 * <p>Thread-safe: the last selection is one immutable entry; racing fetches at a period change
 * may each make it, which costs no more than before.
 */
final class SelectionCache {
  private final CompiledGroupBy groupBy;
  private final long tileSize;
  /** True when the selection is constant strictly inside a tile period (the windows are tile-aligned). */
  private final boolean periodic;
  private volatile Entry last;

  private record Entry(long period, long batchEnd, TileSelection selection) {}

  SelectionCache(CompiledGroupBy groupBy) {
    this.groupBy = groupBy;
    this.tileSize = groupBy.tileSize();
    this.periodic = TileSelection.rollsUp(tileSize) && groupBy.windowGroups().stream().allMatch(this::tileAligned);
  }

  private boolean tileAligned(WindowGroup g) {
    return g.isLifetime() || (g.millis() % tileSize == 0 && Windows.hop(g.millis()) % tileSize == 0);
  }

  /** {@code TileSelection.of(groupBy, t, batchEnd)}: the same instance for every {@code t} strictly inside one tile period. */
  TileSelection of(long t, long batchEnd) {
    if (!periodic || Math.floorMod(t, tileSize) == 0 || Math.floorMod(batchEnd, tileSize) != 0) return TileSelection.of(groupBy, t, batchEnd);
    long period = Math.floorDiv(t, tileSize);
    Entry e = last;
    if (e == null || e.period != period || e.batchEnd != batchEnd) {
      e = new Entry(period, batchEnd, TileSelection.of(groupBy, t, batchEnd));
      last = e;
    }
    return e.selection;
  }
}
