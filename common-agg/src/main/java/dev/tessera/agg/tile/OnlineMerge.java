package dev.tessera.agg.tile;

import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.window.Windows;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fetcher's merge (DESIGN.md "Window semantics"): for every window, the batch IR's collapsed
 * part (when the window reaches back before {@code B}), its tail hops that start at or after the
 * window start, and the streaming tiles that start at or after {@code max(B, window start)} and
 * before {@code t}. Without a batch IR every tile in the window counts. Hour rollups
 * ({@link TileSelection}) count as the tiles they hold.
 *
 * <p>It works on the bytes from Redis and merges them without decoding into objects where the
 * operations allow. Each tile is merged once: windows differ only in how far back they reach, so
 * tiles are sorted into bands between consecutive window starts and each window takes the bands
 * from the newest down to its own start. Stateless and thread-safe.
 */
public final class OnlineMerge {
  private final CompiledGroupBy groupBy;
  private final RowAggregator agg;
  private final IrCodec codec;
  private final WindowGroup[] groups;
  private final int[][] featureSlots;
  private final boolean[] allColumns;

  public OnlineMerge(CompiledGroupBy groupBy) {
    this.groupBy = groupBy;
    this.agg = groupBy.aggregator();
    this.codec = new IrCodec(groupBy);
    this.groups = groupBy.windowGroups().toArray(WindowGroup[]::new);
    List<Feature> features = groupBy.features();
    this.featureSlots = new int[groups.length][];
    for (int g = 0; g < groups.length; g++) {
      featureSlots[g] = groups[g].features().stream().mapToInt(features::indexOf).toArray();
    }
    this.allColumns = agg.mask(agg.allColumns());
  }

  /** The band of a tile start: the first whose reach it is at or after ({@code n} when before all of them). */
  private static int band(long start, long[] reachByBand) {
    int k = 0;
    while (k < reachByBand.length && start < reachByBand[k]) k++;
    return k;
  }

  /** Convenience over decoded IRs: encodes them and merges as {@link #mergeEncoded} does. */
  public OnlineResult merge(BatchIr batch, Collection<Tile> tiles, long t) {
    long[] starts = new long[tiles.size()];
    byte[][] bytes = new byte[tiles.size()][];
    int i = 0;
    for (Tile tile : tiles) {
      starts[i] = tile.start();
      bytes[i++] = codec.encodeTile(tile.ir());
    }
    return mergeEncoded(batch == null ? null : codec.encodeBatch(batch), starts, bytes, t);
  }

  /** As {@link #mergeEncoded(byte[], PackedTiles, long)} with the tile IRs in separate arrays. */
  public OnlineResult mergeEncoded(byte[] batchIr, long[] tileStarts, byte[][] tileIrs, long t) {
    return mergeEncoded(batchIr, PackedTiles.of(tileStarts, tileIrs), t);
  }

  /**
   * @param batchIr the entity's encoded batch IR, or null
   * @param tiles the entity's streaming tiles (start and encoded IR), in any order
   * @param t the time the values are as of (events with {@code ts < t})
   * @throws dev.tessera.agg.codec.IrFormatException when some bytes are not IRs of this GroupBy
   */
  public OnlineResult mergeEncoded(byte[] batchIr, PackedTiles tiles, long t) {
    int n = groups.length;
    long[] windowStart = new long[n];
    for (int g = 0; g < n; g++) windowStart[g] = Windows.windowStart(t, groups[g].millis());
    RowIr[] acc = new RowIr[n];
    for (int g = 0; g < n; g++) acc[g] = agg.newIr();

    long batchEnd = Long.MIN_VALUE;
    if (batchIr != null) {
      long[] end = new long[1];
      codec.mergeBatch(batchIr, acc, new IrCodec.BatchFilter() {
        @Override public void batchEnd(long e) { end[0] = e; }
        @Override public boolean collapsed(int g) { return windowStart[g] < end[0]; }
        @Override public boolean hop(int g, long hopStart) { return hopStart >= windowStart[g]; }
      });
      batchEnd = end[0];
    }

    // order windows by how far back their tiles reach, newest first; band k holds the tiles
    // between the reach of window order[k] and that of order[k - 1]
    Integer[] order = new Integer[n];
    long[] reach = new long[n];
    for (int g = 0; g < n; g++) {
      order[g] = g;
      reach[g] = Math.max(windowStart[g], batchEnd);
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(reach[b], reach[a]));
    long[] reachByBand = new long[n];
    for (int k = 0; k < n; k++) reachByBand[k] = reach[order[k]];
    RowIr[] bands = new RowIr[n];
    boolean anyTile = false;
    long latestTileEnd = Long.MIN_VALUE;
    long tileSize = groupBy.tileSize();
    long[] starts = tiles.starts();
    int[] ends = tiles.ends();
    byte[] bytes = tiles.bytes();
    ByteSource in = new ByteSource(bytes, 0, 0);
    for (int i = 0, from = 0; i < tiles.count(); from = ends[i++]) {
      long start = starts[i];
      if (start >= t) continue;
      boolean rollup = i < tiles.rollups();
      int k = band(start, reachByBand);
      if (rollup && (start + TileSelection.ROLLUP > t || band(start + TileSelection.ROLLUP - 1, reachByBand) != k)) {
        // TileSelection never asks for such an hour; merging it would count tiles outside a window
        throw new IllegalStateException("the rollup of the hour at " + start + " does not lie in one window band before " + t);
      }
      if (!rollup) {
        anyTile = true;
        latestTileEnd = Math.max(latestTileEnd, start + tileSize);
      }
      if (k == n) continue;
      if (bands[k] == null) bands[k] = agg.newIr();
      in.reset(bytes, from, ends[i] - from);
      if (rollup) {
        anyTile = true;
        latestTileEnd = Math.max(latestTileEnd, codec.mergeRollup(bands[k], in, allColumns) + tileSize);
      } else {
        codec.mergeTile(bands[k], in, allColumns);
      }
    }
    RowIr running = null;
    for (int k = 0; k < n; k++) {
      if (bands[k] != null) {
        if (running == null) running = bands[k];
        else agg.merge(running, bands[k]);
      }
      if (running != null) {
        int g = order[k];
        agg.merge(acc[g], running, groups[g].columns());
      }
    }

    Object[] values = new Object[groupBy.features().size()];
    for (int g = 0; g < n; g++) {
      List<Feature> fs = groups[g].features();
      for (int f = 0; f < fs.size(); f++) {
        values[featureSlots[g][f]] = agg.finish(acc[g], fs.get(f).column());
      }
    }
    Map<String, Object> named = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) named.put(groupBy.features().get(i).name(), values[i]);
    Long end = batchIr == null ? null : batchEnd;
    boolean stale = batchIr != null && Windows.isStale(batchEnd, t);
    return new OnlineResult(named, t, end, anyTile ? latestTileEnd : null, stale);
  }
}
