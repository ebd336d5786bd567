package dev.tessera.agg.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteSink} wrote. Truncated or corrupt input fails with {@link IrFormatException}. */
public final class ByteSource {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private int start;
  private int pos;
  private int end;

  public ByteSource(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteSource(byte[] buf, int offset, int length) {
    reset(buf, offset, length);
  }

  /**
   * Reads {@code length} bytes of {@code buf} from {@code offset} on, as a new source would: one
   * source serves the hundreds of tiles of a fetch without an object per tile.
   */
  public ByteSource reset(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IndexOutOfBoundsException("bytes [" + offset + ", " + offset + " + " + length + ") of " + buf.length);
    }
    this.buf = buf;
    this.start = offset;
    this.pos = offset;
    this.end = offset + length;
    return this;
  }

  private void need(int n) {
    if (n < 0 || pos + n > end) {
      throw new IrFormatException("truncated IR: needed " + n + " more bytes at offset " + pos + " of " + end);
    }
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public int readInt() {
    need(4);
    int v = (int) INT.get(buf, pos);
    pos += 4;
    return v;
  }

  public long readLong() {
    need(8);
    long v = (long) LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  public double readDouble() {
    return Double.longBitsToDouble(readLong());
  }

  public int readVarInt() {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) break;
        return v;
      }
    }
    throw new IrFormatException("corrupt varint at offset " + pos);
  }

  public long readVarLong() {
    long z = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      z |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (z >>> 1) ^ -(z & 1);
      }
    }
    throw new IrFormatException("corrupt varlong at offset " + pos);
  }

  public byte[] readBytes() {
    int n = readVarInt();
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  public String readString() {
    int n = readVarInt();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Reads a count that sizes an allocation, refusing counts the remaining bytes cannot hold. */
  public int readCount(int minBytesEach) {
    int n = readVarInt();
    if ((long) n * Math.max(1, minBytesEach) > remaining()) {
      throw new IrFormatException("corrupt IR: count " + n + " exceeds the remaining " + remaining() + " bytes");
    }
    return n;
  }

  public int position() {
    return pos;
  }

  /** The byte at an absolute position already read past (e.g. a bitmap), without moving. */
  public int byteAt(int position) {
    if (position < start || position >= pos) throw new IrFormatException("corrupt IR: bad back-reference " + position);
    return buf[position] & 0xFF;
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }
}
