package dev.tessera.stream.topology;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.codec.IrFormatException;
import dev.tessera.agg.row.Row;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An accepted event on its way from the source task to the task that owns its entity: the row the
 * compiled source made of it, plus where it came from and its raw text, so that the owning task
 * can dead-letter it as it arrived if it turns out to be late.
 *
 * @param originTime the stream time of the source partition the event came from (the newest event
 *     time seen on it so far, this event's included): what the owning task's {@link Watermark} is
 *     made of. At least the event's own time.
 */
public record RoutedEvent(int sourceIndex, int partition, long offset, Row row, byte[] raw, long originTime) {
  /** Format 1 had no origin time (read as the event's own time); format 2 adds it. */
  private static final int FORMAT_1 = 1, FORMAT = 2;

  public RoutedEvent {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(raw, "raw");
    if (originTime < row.ts()) throw new IllegalArgumentException("origin time " + originTime + " is before the event's time " + row.ts());
  }

  /** An event whose origin's stream time is not known beyond the event itself. */
  public RoutedEvent(int sourceIndex, int partition, long offset, Row row, byte[] raw) {
    this(sourceIndex, partition, offset, row, raw, row.ts());
  }

  byte[] encode() {
    ByteSink out = new ByteSink(64 + raw.length + row.size() * 10);
    out.writeByte(FORMAT).writeVarInt(sourceIndex).writeVarLong(partition).writeVarLong(offset).writeLong(row.ts());
    out.writeVarLong(originTime - row.ts()); // usually small: how far the partition is ahead of this event
    out.writeVarInt(row.size());
    for (Object v : row.values()) ValueCodec.write(v, out);
    out.writeBytes(raw);
    return out.toByteArray();
  }

  static RoutedEvent decode(byte[] bytes) {
    ByteSource in = new ByteSource(bytes);
    int format = in.readByte();
    if (format != FORMAT && format != FORMAT_1) throw new IrFormatException("unknown routed event format " + format);
    int source = in.readVarInt();
    int partition = (int) in.readVarLong();
    long offset = in.readVarLong();
    long ts = in.readLong();
    long originTime = format == FORMAT_1 ? ts : ts + in.readVarLong();
    int n = in.readCount(1);
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) values[i] = ValueCodec.read(in);
    byte[] raw = in.readBytes();
    return new RoutedEvent(source, partition, offset, new Row(ts, values), raw, originTime);
  }

  /** The serde of the repartition topic. */
  public static Serde<RoutedEvent> serde() {
    return SERDE;
  }

  private static final Serde<RoutedEvent> SERDE = new Serde<>() {
    @Override
    public Serializer<RoutedEvent> serializer() {
      return (topic, e) -> e == null ? null : e.encode();
    }

    @Override
    public Deserializer<RoutedEvent> deserializer() {
      return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
  };
}
