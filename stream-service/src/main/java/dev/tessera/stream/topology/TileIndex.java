package dev.tessera.stream.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The tile starts an entity may still have in Redis, as a range: what a flush deletes once it
 * falls behind retention. A range rather than a set: two longs per entity whatever its activity.
 */
record TileIndex(long low, long high) {
  TileIndex {
    if (high < low) throw new IllegalArgumentException("high < low");
  }

  static final Serde<TileIndex> SERDE = new Serde<>() {
    @Override
    public Serializer<TileIndex> serializer() {
      return (topic, i) -> i == null ? null : ByteBuffer.allocate(16).putLong(i.low).putLong(i.high).array();
    }

    @Override
    public Deserializer<TileIndex> deserializer() {
      return (topic, b) -> {
        if (b == null) return null;
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new TileIndex(buf.getLong(), buf.getLong());
      };
    }
  };
}
