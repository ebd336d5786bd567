package dev.tessera.fetcher.store;

import dev.tessera.agg.tile.PackedTiles;

/**
 * What Redis holds for one entity of one GroupBy version, as bytes: the batch IR (null when there
 * is none) and the streaming tiles (start, IR) in no particular order, packed. {@code error} is set instead
 * when this entity's keys could not be read (a key of the wrong Redis type, a tile field that is
 * not a tile start): that entity fails, the others of the request do not.
 */
public record StoredEntity(byte[] batchIr, PackedTiles tiles, String error, boolean incomplete) {
  /** Read whole, or failed. */
  public StoredEntity(byte[] batchIr, PackedTiles tiles, String error) {
    this(batchIr, tiles, error, false);
  }

  public StoredEntity {
    if (tiles == null) tiles = PackedTiles.EMPTY;
  }

  public static StoredEntity failed(String error) {
    return new StoredEntity(null, null, error);
  }

  /** Read by a selection whose rollups this entity's hash cannot vouch for: to be read whole. */
  static StoredEntity incompleteRead() {
    return new StoredEntity(null, null, null, true);
  }

  public boolean failed() {
    return error != null;
  }
}
