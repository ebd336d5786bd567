package dev.tessera.stream.sink;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one flush does to one entity's tile hash ({@code RedisKeys.tilesKey}): set whole tiles
 * (field = tile start, value = tile IR bytes), delete fields no fetch can need any more, and reset
 * the hash's expiry. Whole values only: a replay writes the same bytes again. {@code ttlSeconds} 0
 * leaves the expiry as it is (it was set when the entity's newest tile was first written).
 */
public record EntityTiles(String tilesKey, Map<String, byte[]> set, List<String> delete, long ttlSeconds) {
  public EntityTiles {
    Objects.requireNonNull(tilesKey, "tilesKey");
    set = Map.copyOf(set);
    delete = List.copyOf(delete);
    if (ttlSeconds < 0) throw new IllegalArgumentException("ttlSeconds must not be negative");
  }
}
