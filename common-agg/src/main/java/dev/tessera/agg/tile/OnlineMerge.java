package dev.tessera.agg.tile;

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
 * before {@code t}. Without a batch IR every tile in the window counts. Stateless and thread-safe.
 */
public final class OnlineMerge {
  private final CompiledGroupBy groupBy;
  private final RowAggregator agg;
  private final List<WindowGroup> groups;

  public OnlineMerge(CompiledGroupBy groupBy) {
    this.groupBy = groupBy;
    this.agg = groupBy.aggregator();
    this.groups = groupBy.windowGroups();
  }

  /**
   * @param batch the entity's batch IR, or null
   * @param tiles the entity's streaming tiles, in any order
   * @param t the time the values are as of (events with {@code ts < t})
   */
  public OnlineResult merge(BatchIr batch, Collection<Tile> tiles, long t) {
    long tileSize = groupBy.tileSize();
    Long latestTileEnd = null;
    for (Tile tile : tiles) {
      if (tile.start() < t && (latestTileEnd == null || tile.start() + tileSize > latestTileEnd)) {
        latestTileEnd = tile.start() + tileSize;
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Object[] byFeature = new Object[groupBy.features().size()];
    RowIr acc = agg.newIr();
    for (int g = 0; g < groups.size(); g++) {
      WindowGroup group = groups.get(g);
      int[] cols = group.columns();
      agg.clear(acc, cols);
      long ws = Windows.windowStart(t, group.millis());
      long tileFrom = ws;
      if (batch != null) {
        tileFrom = Math.max(ws, batch.end());
        BatchIr.Part part = batch.part(g);
        if (part.collapsed() != null && ws < batch.end()) {
          agg.merge(acc, part.collapsed(), cols);
        }
        for (RowIr hop : part.tailHops().tailMap(ws, true).values()) {
          agg.merge(acc, hop, cols);
        }
      }
      for (Tile tile : tiles) {
        if (tile.start() >= tileFrom && tile.start() < t) {
          agg.merge(acc, tile.ir(), cols);
        }
      }
      for (Feature f : group.features()) {
        byFeature[groupBy.features().indexOf(f)] = agg.finish(acc, f.column());
      }
    }
    for (int i = 0; i < byFeature.length; i++) {
      values.put(groupBy.features().get(i).name(), byFeature[i]);
    }
    Long batchEnd = batch == null ? null : batch.end();
    boolean stale = batch != null && Windows.isStale(batch.end(), t);
    return new OnlineResult(values, t, batchEnd, latestTileEnd, stale);
  }
}
