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
