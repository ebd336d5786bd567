package dev.tessera.fetcher.store;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.tile.PackedTiles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Receives one entity's tiles hash, field, value, field, value, ... ({@link #add}). Fields are tile
 * starts in the decimal form of {@link RedisKeys#tileField}, parsed eight digits at a time with no
 * string per field: one entity has hundreds of tiles and this runs for every key of every fetch.
 * Values, the encoded tile IRs, are copied one after another into one growing array
 * ({@link PackedTiles}). A whole-hash read skips the hour rollups; a selected read
 * ({@link #add(long, byte[])}) adds its rollups first, then its tiles.
 */
final class TileOutput {
  private static final byte ROLLUP_PREFIX = (byte) RedisKeys.ROLLUP_PREFIX.charAt(0);
  private static final byte ROLLUPS_FROM = (byte) RedisKeys.ROLLUPS_FROM_FIELD.charAt(0);
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private long[] starts;
  private int[] ends;
  private byte[] bytes;
  private int size;
  private int rollups;
  /** Fields received, tiles or not, and the largest value: the hash's shape ({@link HashLimits}). */
  private int fields;
  private int largestValue;
  private String error;

  /**
   * @param expectedTiles the likely number of tiles
   * @param expectedBytes the likely size of all their IRs together: arrays of those sizes need no growing
   */
  TileOutput(int expectedTiles, int expectedBytes) {
    int capacity = Math.max(4, expectedTiles);
    starts = new long[capacity];
    ends = new int[capacity];
    bytes = new byte[Math.max(64, expectedBytes)];
  }

  int size() {
    return size;
  }

  /**
   * A field, {@code b[from, from + n)}: the start of the tile whose value comes next.
   *
   * @return false when it is not a tile start: its value is to be skipped (and this entity fails)
   */
  boolean field(byte[] b, int from, int n) {
    if (n > 0 && (b[from] == ROLLUP_PREFIX || (n == 1 && b[from] == ROLLUPS_FROM))) return false; // whole-hash reads use tiles only
    long start = parseDecimal(b, from, n);
    if (start == Long.MIN_VALUE) {
      if (error == null) error = "tiles hash has a field that is not a tile start: '" + new String(b, from, n, StandardCharsets.UTF_8) + "'";
      return false;
    }
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    starts[size] = start;
    return true;
  }

  /** Makes room for the value of {@code n} bytes of the last field; it is to be copied into {@link #bytes()} at the index returned. */
  int startValue(int n) {
    int from = byteCount();
    if (from + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, from + n));
    return from;
  }

  /** The value of the last field was copied. */
  void endValue(int n) {
    ends[size] = byteCount() + n;
    size++;
  }

  /** The value of the tile or rollup that starts at {@code start} (a selected field: its start is known). */
  void add(long start, byte[] value) {
    largestValue = Math.max(largestValue, value.length);
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    starts[size] = start;
    int at = startValue(value.length);
    System.arraycopy(value, 0, bytes, at, value.length);
    endValue(value.length);
  }

  /** Fields of the whole hash ({@link #add(byte[], byte[])}), tiles or not. */
  int fieldCount() {
    return fields;
  }

  /** A value of the hash that is not kept (the {@code r} field of a selected read) still tells its shape. */
  void noteValue(int length) {
    largestValue = Math.max(largestValue, length);
  }

  /** The largest value seen. */
  int largestValue() {
    return largestValue;
  }

  /** The entries added so far are hour rollups (they come first). */
  void rollupsAdded() {
    rollups = size;
  }

  /** A whole field and its value, as a client library hands them over (a field that is not a tile start fails the entity). */
  void add(byte[] field, byte[] value) {
    fields++;
    largestValue = Math.max(largestValue, value.length);
    if (!field(field, 0, field.length)) return;
    int at = startValue(value.length);
    System.arraycopy(value, 0, bytes, at, value.length);
    endValue(value.length);
  }

  /** The array the values are copied into (it changes as it grows: ask again after {@link #startValue}). */
  byte[] bytes() {
    return bytes;
  }

  /** Why this entity's tiles cannot be used, or null. */
  String error() {
    return error;
  }

  /** The bytes received in this array's size, for sizing the next read. */
  int byteCount() {
    return size == 0 ? 0 : ends[size - 1];
  }

  /** The tiles read; this output hands its arrays over. */
  PackedTiles tiles() {
    return new PackedTiles(starts, bytes, ends, size, rollups);
  }

  /**
   * The value of an ASCII decimal integer (what {@code Long.toString} writes, as
   * {@link RedisKeys#tileField} does), or {@code Long.MIN_VALUE} when the bytes are not one. Tile
   * starts in epoch millis have 13 digits: 9 to 16 digits are read as two overlapping 8-byte words
   * and converted eight digits at a time (SWAR), a fraction of the cost of a digit-by-digit parse;
   * other lengths go digit by digit.
   */
  static long parseDecimal(byte[] b, int from, int length) {
    int p = from, n = length;
    if (n == 0) return Long.MIN_VALUE;
    boolean negative = b[p] == '-';
    if (negative) {
      p++;
      n--;
      if (n == 0) return Long.MIN_VALUE;
    }
    long v;
    if (n >= 9 && n <= 16) {
      long high = eightDigits((long) LONG_BE.get(b, p));
      long low = eightDigits((long) LONG_BE.get(b, p + n - 8));
      if (high < 0 || low < 0) return Long.MIN_VALUE;
      // high holds digits 1..8, low digits n-7..n: keep the first n-8 digits of high, then low
      v = high / POW10[16 - n] * 100_000_000L + low;
    } else if (n <= 18) {
      v = 0;
      for (int i = 0; i < n; i++) {
        int d = b[p + i] - '0';
        if (d < 0 || d > 9) return Long.MIN_VALUE;
        v = v * 10 + d;
      }
    } else {
      return slowParse(new String(b, from, length, StandardCharsets.US_ASCII));
    }
    return negative ? -v : v;
  }

  private static final long[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000};

  /** Eight ASCII digits in a big-endian word as a number, or -1 when one is not a digit. */
  static long eightDigits(long word) {
    long v = word - 0x3030303030303030L;
    // each byte must be 0..9: no borrow into the high bit, and adding 0x76 must not reach 0x80
    if (((v | (v + 0x7676767676767676L)) & 0x8080808080808080L) != 0) return -1;
    v = Long.reverseBytes(v); // little-endian: first digit in the lowest byte
    v = (v * 10) + (v >>> 8);
    v = (((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32))) + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
    return v;
  }

  /** 19 digits and more may overflow: leave them to the JDK. */
  private static long slowParse(String text) {
    try {
      long v = RedisKeys.tileStart(text);
      return v == Long.MIN_VALUE ? Long.MIN_VALUE : v;
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }
}
