package dev.tessera.agg.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte buffer for IR encodings. Not thread-safe; reuse with {@link #reset()}. */
public final class ByteSink {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private int pos;

  public ByteSink() {
    this(64);
  }

  public ByteSink(int capacity) {
    buf = new byte[Math.max(8, capacity)];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  public ByteSink writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  public ByteSink writeInt(int v) {
    ensure(4);
    INT.set(buf, pos, v);
    pos += 4;
    return this;
  }

  public ByteSink writeLong(long v) {
    ensure(8);
    LONG.set(buf, pos, v);
    pos += 8;
    return this;
  }

  public ByteSink writeDouble(double v) {
    return writeLong(Double.doubleToRawLongBits(v));
  }

  /** Unsigned LEB128; for counts and lengths. */
  public ByteSink writeVarInt(int v) {
    if (v < 0) throw new IllegalArgumentException("negative varint " + v);
    ensure(5);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return this;
  }

  /** Zig-zag LEB128 for longs that are usually small (counts, deltas). */
  public ByteSink writeVarLong(long v) {
    long z = (v << 1) ^ (v >> 63);
    ensure(10);
    while ((z & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    buf[pos++] = (byte) z;
    return this;
  }

  public ByteSink writeBytes(byte[] b) {
    writeVarInt(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    return this;
  }

  public ByteSink writeString(String s) {
    return writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return pos;
  }

  public void reset() {
    pos = 0;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
