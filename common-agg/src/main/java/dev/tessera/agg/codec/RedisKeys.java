package dev.tessera.agg.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Redis keys of DESIGN.md "Storage layout": every key of one entity of one GroupBy version shares
 * the hash tag {@code {<groupBy>:<version>:<entity>}}, so a Redis Cluster keeps them on one shard
 * and the fetcher reads them in one pipelined round trip.
 *
 * <ul>
 *   <li>{@code tsr:{fraud_features:1:123}:b} - the batch IR (its bytes carry the batch end)
 *   <li>{@code tsr:{fraud_features:1:123}:t} - a hash: tile start (decimal millis) -> tile IR; with
 *       5-minute tiles also {@code h<hour start>} -> the hour's rollup ({@code IrCodec.encodeRollup})
 *       and {@code r} -> the hour from which every hour with tiles has its rollup, padded past the
 *       server's listpack value limit ({@link #padRollupsFrom})
 * </ul>
 *
 * Entity key values are joined with ':' and percent-escaped so that no value can end the hash tag
 * early or collide with another key ("a:b" vs ["a", "b"]).
 */
public final class RedisKeys {
  public static final String PREFIX = "tsr:";

  private RedisKeys() {}

  public static String batchKey(String groupBy, int version, List<?> entityKey) {
    return tag(groupBy, version, entityKey) + ":b";
  }

  public static String tilesKey(String groupBy, int version, List<?> entityKey) {
    return tag(groupBy, version, entityKey) + ":t";
  }

  public static String tileField(long tileStart) {
    return Long.toString(tileStart);
  }

  /** The tiles-hash field of the rollup of the hour that starts at {@code hourStart}. */
  public static String rollupField(long hourStart) {
    return ROLLUP_PREFIX + hourStart;
  }

  /** Tiles-hash fields of rollups start with this; tile fields are digits (or '-'). */
  public static final String ROLLUP_PREFIX = "h";

  /**
   * The tiles-hash field that says from which hour on the rollups are complete (decimal millis): a
   * stream task that took over tiles written before rollups existed cannot roll up hours it no
   * longer holds, so a reader trusts a rollup only at or after this hour.
   */
  public static final String ROLLUPS_FROM_FIELD = "r";

  /**
   * The {@code r} value that a writer stores: {@code decimal} (the hour, as {@code Long.toString}
   * writes it) followed by spaces up to {@code length} bytes. Why padded: Redis keeps a hash whose
   * values are all at most {@code hash-max-listpack-value} bytes (64 by default) and that has at
   * most {@code hash-max-listpack-entries} fields (512 by default, more than a day of 5-minute
   * tiles) as a listpack, which {@code HMGET} scans once per field asked for; one longer value makes
   * it a hash table, where the fetcher's selected read is a lookup per field. So the tiles hash is
   * a hash table whatever the server's limits, at the memory a hash table costs (DESIGN.md "Storage
   * layout in Redis"). A {@code length} not longer than {@code decimal} leaves it as it is.
   */
  public static byte[] padRollupsFrom(byte[] decimal, int length) {
    if (length <= decimal.length) return decimal;
    byte[] padded = Arrays.copyOf(decimal, length);
    Arrays.fill(padded, decimal.length, length, (byte) ' ');
    return padded;
  }

  /** How many leading bytes of an {@code r} value hold its decimal hour: the value without its padding. */
  public static int rollupsFromDigits(byte[] value) {
    int n = 0;
    while (n < value.length && value[n] != ' ') n++;
    return n;
  }

  /** The hour of an {@code r} value, padded or not. */
  public static long rollupsFrom(byte[] value) {
    return Long.parseLong(new String(value, 0, rollupsFromDigits(value), StandardCharsets.US_ASCII));
  }

  public static long tileStart(String field) {
    return Long.parseLong(field);
  }

  /**
   * The upload marker of a GroupBy version: the batch end of its latest completed upload (decimal
   * millis). Written last by an upload; the stream side keeps tiles at least back to it, and the
   * fetcher knows that an entity without a batch IR had no events before it.
   */
  public static String uploadKey(String groupBy, int version) {
    return PREFIX + "upload:" + groupBy + ":" + version;
  }

  /** The pattern matching every key of a GroupBy version, for SCAN-based cleanup. */
  public static String versionPattern(String groupBy, int version) {
    return PREFIX + "{" + groupBy + ":" + version + ":*";
  }

  private static String tag(String groupBy, int version, List<?> entityKey) {
    return PREFIX + "{" + groupBy + ":" + version + ":" + encodeEntity(entityKey) + "}";
  }

  public static String encodeEntity(List<?> entityKey) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < entityKey.size(); i++) {
      if (i > 0) sb.append(':');
      escape(String.valueOf(entityKey.get(i)), sb);
    }
    return sb.toString();
  }

  private static void escape(String s, StringBuilder sb) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c == '%' || c == ':' || c == '{' || c == '}' || c < 0x21 || c == 0x7F) {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      } else if (c < 0x80) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
  }
}
