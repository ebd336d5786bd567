package dev.tessera.stream.topology;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.sink.EntityTiles;
import dev.tessera.stream.sink.TileWriteException;
import dev.tessera.stream.sink.TileWriter;
import dev.tessera.stream.sink.TileWriterFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unit tests' view of what a topology sends to its tile store: the last bytes of every field
 * of every tile hash, the TTLs, and every batch in order. Redis semantics of HSET/HDEL on hashes;
 * the Redis itself is exercised by the integration tests. Tile fields are in {@link #hashes}, the
 * hour rollups and the {@code r} field of the same hash in {@link #rollups}.
 */
final class RecordingTileWriter implements TileWriterFactory {
  final Map<String, TreeMap<String, byte[]>> hashes = new ConcurrentHashMap<>();
  final Map<String, TreeMap<String, byte[]>> rollups = new ConcurrentHashMap<>();
  final Map<String, Long> ttls = new ConcurrentHashMap<>();
  final List<List<EntityTiles>> batches = new ArrayList<>();
  volatile Long uploadEnd;
  volatile boolean failing;
  int opened;

  @Override
  public TileWriter open(String groupBy, int version) {
    opened++;
    return new TileWriter() {
      @Override
      public long write(List<EntityTiles> changes) {
        if (failing) throw new TileWriteException("Redis is down (test)", null);
        batches.add(changes);
        long removed = 0;
        for (EntityTiles e : changes) {
          TreeMap<String, byte[]> hash = hashes.computeIfAbsent(e.tilesKey(), k -> new TreeMap<>());
          TreeMap<String, byte[]> rolled = rollups.computeIfAbsent(e.tilesKey(), k -> new TreeMap<>());
          for (String f : e.delete()) {
            if (isTile(f)) removed += hash.remove(f) == null ? 0 : 1;
            else rolled.remove(f);
          }
          e.set().forEach((f, v) -> (isTile(f) ? hash : rolled).put(f, v));
          if (e.ttlSeconds() > 0) ttls.put(e.tilesKey(), e.ttlSeconds());
          if (hash.isEmpty()) hashes.remove(e.tilesKey());
          if (rolled.isEmpty()) rollups.remove(e.tilesKey());
        }
        return removed;
      }

      @Override
      public Long uploadEnd() {
        if (failing) throw new TileWriteException("Redis is down (test)", null);
        return uploadEnd;
      }

      @Override
      public void close() {}
    };
  }

  private static boolean isTile(String field) {
    return !field.startsWith(RedisKeys.ROLLUP_PREFIX) && !field.equals(RedisKeys.ROLLUPS_FROM_FIELD);
  }

  int tileCount() {
    return hashes.values().stream().mapToInt(Map::size).sum();
  }
}
