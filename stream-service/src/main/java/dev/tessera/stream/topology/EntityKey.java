package dev.tessera.stream.topology;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.ArrayList;
import java.util.List;

/**
 * An entity's key values as bytes: the key of the repartition topic (so all events of one entity
 * reach one task) and the entity part of the tile store key. Equal key values always give equal
 * bytes, so partitioning is stable across restarts and instances. The Redis key is built from the
 * decoded values by {@link dev.tessera.agg.codec.RedisKeys}, never from these bytes.
 */
public final class EntityKey {
  private EntityKey() {}

  public static byte[] encode(List<Object> keyValues) {
    ByteSink out = new ByteSink(16 * keyValues.size());
    out.writeVarInt(keyValues.size());
    for (Object v : keyValues) ValueCodec.write(v, out);
    return out.toByteArray();
  }

  public static List<Object> decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  static List<Object> decode(byte[] bytes, int offset, int length) {
    ByteSource in = new ByteSource(bytes, offset, length);
    int n = in.readCount(1);
    List<Object> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) values.add(ValueCodec.read(in));
    return values;
  }
}
