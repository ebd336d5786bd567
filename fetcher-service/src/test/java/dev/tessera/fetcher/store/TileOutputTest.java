package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.tile.PackedTiles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tile fields are parsed from the reply bytes exactly as RedisKeys writes and reads them. */
class TileOutputTest {

  @Test
  void fieldsRoundTripWithRedisKeys() {
    java.util.List<Long> starts = new java.util.ArrayList<>(java.util.List.of(0L, 1L, 300_000L, 1_764_115_199_999L, -300_000L,
        123_456_789L, 1_234_567_890_123_456L, 99_999_999_999_999_999L, 999_999_999_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE + 1));
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      long magnitude = (long) Math.pow(10, r.nextInt(19));
      starts.add(r.nextLong(Math.max(1, magnitude)) * (r.nextBoolean() ? 1 : -1));
    }
    for (long start : starts) {
      String field = RedisKeys.tileField(start);
      assertThat(parse(field)).as(field).isEqualTo(start).isEqualTo(RedisKeys.tileStart(field));
    }
  }

  @Test
  void whatIsNotADecimalIsRefused() {
    for (String bad : new String[] {"", "-", "12a", "1.5", " 12", "yesterday", "99999999999999999999", "+5", "17641151999a9",
        "1764115199:99", "176411519999/", "-12345678901x", "12345678/", "1234567890123456a"}) {
      assertThat(parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
    }
  }

  @Test
  void fieldsAndValuesAlternateAndABadFieldSkipsItsValue() {
    TileOutput out = new TileOutput(4, 64);
    put(out, "600000", new byte[] {1, 2});
    assertThat(field(out, "nope")).as("a bad field: its value is skipped").isFalse();
    put(out, "300000", new byte[] {3});
    PackedTiles tiles = out.tiles();
    assertThat(tiles.count()).isEqualTo(2);
    assertThat(tiles.start(0)).isEqualTo(600_000L);
    assertThat(tiles.start(1)).isEqualTo(300_000L);
    assertThat(tiles.ir(0)).containsExactly(1, 2);
    assertThat(tiles.ir(1)).containsExactly(3);
    assertThat(out.error()).isEqualTo("tiles hash has a field that is not a tile start: 'nope'");
  }

  @Test
  void manyTilesGrowTheArrays() {
    TileOutput out = new TileOutput(4, 64);
    for (int i = 0; i < 300; i++) put(out, RedisKeys.tileField(i * 300_000L), new byte[] {(byte) i, (byte) (i >> 8)});
    PackedTiles tiles = out.tiles();
    assertThat(tiles.count()).isEqualTo(300);
    assertThat(out.byteCount()).isEqualTo(600);
    for (int i = 0; i < 300; i++) {
      assertThat(tiles.start(i)).isEqualTo(i * 300_000L);
      assertThat(tiles.ir(i)).containsExactly((byte) i, (byte) (i >> 8));
    }
    assertThat(out.error()).isNull();
  }

  private static void put(TileOutput out, String field, byte[] value) {
    assertThat(field(out, field)).as(field).isTrue();
    int at = out.startValue(value.length);
    System.arraycopy(value, 0, out.bytes(), at, value.length);
    out.endValue(value.length);
  }

  private static boolean field(TileOutput out, String field) {
    byte[] b = ("xyz" + field + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return out.field(b, 3, b.length - 5);
  }

  /** The field in the middle of a larger array, as in a reply buffer. */
  private static long parse(String s) {
    byte[] b = ("$13\r\n" + s + "\r\n$5").getBytes(StandardCharsets.US_ASCII);
    return TileOutput.parseDecimal(b, 5, s.length());
  }
}
