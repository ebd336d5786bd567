package dev.tessera.fetcher.store;

/**
 * What Redis holds for one entity of one GroupBy version, as bytes: the batch IR (null when there
 * is none) and the streaming tiles (start, IR) in no particular order. {@code error} is set instead
 * when this entity's keys could not be read (a key of the wrong Redis type, a tile field that is
 * not a tile start): that entity fails, the others of the request do not.
 */
public record StoredEntity(byte[] batchIr, long[] tileStarts, byte[][] tileIrs, String error) {
  private static final long[] NO_STARTS = {};
  private static final byte[][] NO_IRS = {};

  public StoredEntity {
    if (tileStarts == null) tileStarts = NO_STARTS;
    if (tileIrs == null) tileIrs = NO_IRS;
    if (tileStarts.length != tileIrs.length) throw new IllegalArgumentException("tile starts and IRs differ in length");
  }

  public static StoredEntity failed(String error) {
    return new StoredEntity(null, null, null, error);
  }

  public boolean failed() {
    return error != null;
  }
}
