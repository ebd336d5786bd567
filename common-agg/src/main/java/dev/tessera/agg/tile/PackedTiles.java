package dev.tessera.agg.tile;

import java.util.Arrays;
import java.util.Objects;

/**
 * The encoded streaming tiles of one entity, packed into one array: tile {@code i} starts at
 * {@code starts[i]} and its IR is {@code bytes[from(i), ends[i])}. A reader of a tiles hash copies
 * the IRs one after another into a growing array rather than into an array each: a fetch reads
 * hundreds of tiles per key, and one array per tile was the fetcher's largest allocation.
 *
 * <p>Only the first {@code count} entries are tiles; the arrays may be longer (sized before the
 * reply was read). The first {@code rollups} of them are hour rollups ({@link TileSelection}), the
 * others tiles. The arrays are not copied: whoever fills them hands them over.
 */
public record PackedTiles(long[] starts, byte[] bytes, int[] ends, int count, int rollups) {
  public static final PackedTiles EMPTY = new PackedTiles(new long[0], new byte[0], new int[0], 0);

  /** Tiles only, no rollups. */
  public PackedTiles(long[] starts, byte[] bytes, int[] ends, int count) {
    this(starts, bytes, ends, count, 0);
  }

  public PackedTiles {
    Objects.requireNonNull(starts, "starts");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(ends, "ends");
    if (count < 0 || count > starts.length || count > ends.length) {
      throw new IllegalArgumentException(count + " tiles, but " + starts.length + " starts and " + ends.length + " ends");
    }
    if (rollups < 0 || rollups > count) throw new IllegalArgumentException(rollups + " rollups among " + count + " entries");
    if (count > 0 && ends[count - 1] > bytes.length) {
      throw new IllegalArgumentException("tiles end at " + ends[count - 1] + ", past the " + bytes.length + " bytes");
    }
  }

  /** Packs separate tile IRs (a copy): {@code irs[i]} is the IR of the tile that starts at {@code starts[i]}. */
  public static PackedTiles of(long[] starts, byte[][] irs) {
    if (starts.length != irs.length) throw new IllegalArgumentException(starts.length + " starts, " + irs.length + " IRs");
    int total = 0;
    for (byte[] ir : irs) total += ir.length;
    byte[] bytes = new byte[total];
    int[] ends = new int[irs.length];
    int at = 0;
    for (int i = 0; i < irs.length; i++) {
      System.arraycopy(irs[i], 0, bytes, at, irs[i].length);
      ends[i] = at += irs[i].length;
    }
    return new PackedTiles(starts.clone(), bytes, ends, irs.length);
  }

  /** Where the IR of tile {@code i} begins in {@link #bytes()}. */
  public int from(int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  /** The start of tile {@code i}. */
  public long start(int i) {
    return starts[i];
  }

  /** A copy of the IR of tile {@code i}. */
  public byte[] ir(int i) {
    return Arrays.copyOfRange(bytes, from(i), ends[i]);
  }
}
