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
 */
public record RoutedEvent(int sourceIndex, int partition, long offset, Row row, byte[] raw) {
  private static final int FORMAT = 1;

  public RoutedEvent {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(raw, "raw");
  }

  byte[] encode() {
    ByteSink out = new ByteSink(64 + raw.length + row.size() * 10);
    out.writeByte(FORMAT).writeVarInt(sourceIndex).writeVarLong(partition).writeVarLong(offset).writeLong(row.ts());
    out.writeVarInt(row.size());
    for (Object v : row.values()) ValueCodec.write(v, out);
    out.writeBytes(raw);
    return out.toByteArray();
  }

  static RoutedEvent decode(byte[] bytes) {
    ByteSource in = new ByteSource(bytes);
    int format = in.readByte();
    if (format != FORMAT) throw new IrFormatException("unknown routed event format " + format);
    int source = in.readVarInt();
    int partition = (int) in.readVarLong();
    long offset = in.readVarLong();
    long ts = in.readLong();
    int n = in.readCount(1);
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) values[i] = ValueCodec.read(in);
    byte[] raw = in.readBytes();
    return new RoutedEvent(source, partition, offset, new Row(ts, values), raw);
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
