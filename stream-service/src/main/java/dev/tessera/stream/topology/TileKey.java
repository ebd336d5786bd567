package dev.tessera.stream.topology;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key of the tile store: the tile start first (big-endian, sign bit flipped so that byte order is
 * time order), then the entity key bytes. The store's ordered iteration then yields the oldest
 * tiles first, which is what dropping closed tiles walks.
 */
public final class TileKey {
  private TileKey() {}

  public static Bytes of(long tileStart, byte[] entity) {
    byte[] k = new byte[8 + entity.length];
    long v = tileStart ^ Long.MIN_VALUE;
    for (int i = 0; i < 8; i++) k[i] = (byte) (v >>> (56 - 8 * i));
    System.arraycopy(entity, 0, k, 8, entity.length);
    return Bytes.wrap(k);
  }

  /**
   * Key of the hour rollup of an entity: the hour start plus one millisecond, which no tile start is
   * (tiles start on whole minutes), so it sorts right after the hour's first tile.
   */
  public static Bytes rollup(long hourStart, byte[] entity) {
    return of(hourStart + 1, entity);
  }

  /** True when a start read from a key ({@link #tileStart}) is a rollup's: then the hour starts 1 ms earlier. */
  public static boolean isRollup(long start) {
    return Math.floorMod(start, 1000L) == 1;
  }

  public static long tileStart(Bytes key) {
    byte[] k = key.get();
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (k[i] & 0xFF);
    return v ^ Long.MIN_VALUE;
  }

  public static byte[] entity(Bytes key) {
    byte[] k = key.get();
    return Arrays.copyOfRange(k, 8, k.length);
  }

  public static List<Object> entityValues(Bytes key) {
    byte[] k = key.get();
    return EntityKey.decode(k, 8, k.length - 8);
  }
}
