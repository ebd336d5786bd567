package dev.tessera.agg.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.testkit.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Varints and varlongs read back as written, whether they end the buffer or lie inside a larger
 * one (as a tile's fields lie in the fetcher's packed array), and a varlong that is too long or
 * cut short is refused.
 */
class ByteSourceTest {
  /** Small values, the edges of each byte length, and the extremes. */
  private static long value(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> r.nextLong(-300, 300);
      case 1 -> (r.nextBoolean() ? 1L : -1L) << r.nextInt(63);
      case 2 -> r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(3) : Long.MIN_VALUE + r.nextInt(3);
      default -> r.nextLong();
    };
  }

  @Test
  void varLongsRoundTripDeepInTheBufferAndAtItsEnd() {
    Seeds.of(200).forEach(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      long[] values = new long[20];
      ByteSink sink = new ByteSink();
      for (int i = 0; i < values.length; i++) {
        values[i] = value(r);
        sink.writeVarLong(values[i]);
      }
      byte[] bytes = sink.toByteArray();
      ByteSource in = new ByteSource(bytes);
      for (long v : values) assertThat(in.readVarLong()).as("seed %d", seed).isEqualTo(v);
      assertThat(in.hasRemaining()).isFalse();
      // the same bytes inside a larger array
      byte[] padded = Arrays.copyOf(bytes, bytes.length + 16);
      ByteSource deep = new ByteSource(padded, 0, padded.length);
      for (long v : values) assertThat(deep.readVarLong()).as("seed %d", seed).isEqualTo(v);
      assertThat(deep.position()).isEqualTo(bytes.length);
    });
  }

  @Test
  void varIntsRoundTrip() {
    Seeds.of(200).forEach(seed -> {
      SplittableRandom r = new SplittableRandom(seed);
      int v = r.nextBoolean() ? r.nextInt(0, 300) : r.nextInt(0, Integer.MAX_VALUE);
      ByteSink sink = new ByteSink().writeVarInt(v);
      assertThat(new ByteSource(sink.toByteArray()).readVarInt()).isEqualTo(v);
    });
  }

  @Test
  void aVarLongThatNeverEndsOrIsCutShortIsRefused() {
    byte[] endless = new byte[11];
    Arrays.fill(endless, (byte) 0x80);
    assertThatThrownBy(() -> new ByteSource(endless).readVarLong())
        .isInstanceOf(IrFormatException.class).hasMessageContaining("corrupt varlong");
    byte[] truncated = {(byte) 0x80, (byte) 0x80};
    assertThatThrownBy(() -> new ByteSource(truncated).readVarLong())
        .isInstanceOf(IrFormatException.class).hasMessageContaining("truncated");
  }
}
