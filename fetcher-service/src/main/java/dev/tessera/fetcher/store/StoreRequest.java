package dev.tessera.fetcher.store;

import dev.tessera.agg.tile.TileSelection;
import java.util.List;

/**
 * The entities of one GroupBy version that a read wants (key values in key order). A GroupBy fetch
 * reads one; a Join fetch reads one per GroupBy version its parts use, all in the same round trip.
 * The list is not copied (the caller built it for this read). With a {@code selection} only those
 * tiles and hour rollups are read of each entity's tiles hash; without one, the whole hash.
 */
public record StoreRequest(String groupBy, int version, List<List<Object>> keys, TileSelection selection) {
  public StoreRequest(String groupBy, int version, List<List<Object>> keys) {
    this(groupBy, version, keys, null);
  }
}
