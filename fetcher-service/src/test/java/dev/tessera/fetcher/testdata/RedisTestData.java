package dev.tessera.fetcher.testdata;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what the batch upload and the stream side would write to a real Redis, with common-agg's
 * keys and encodings, and removes it again (only the keys of the given GroupBy versions: the server
 * is shared with other tests).
 */
public final class RedisTestData implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisCommands<byte[], byte[]> redis;
  private final List<String[]> versions = new ArrayList<>();

  public RedisTestData(String host, int port) {
    client = RedisClient.create(RedisURI.create(host, port));
    connection = client.connect(ByteArrayCodec.INSTANCE);
    redis = connection.sync();
  }

  public RedisCommands<byte[], byte[]> redis() {
    return redis;
  }

  /** Replaces the entity's batch IR (deleted when null) and tiles. */
  public void write(String groupBy, int version, List<Object> key, EncodedEntity data) {
    remember(groupBy, version);
    byte[] batchKey = bytes(RedisKeys.batchKey(groupBy, version, key));
    byte[] tilesKey = bytes(RedisKeys.tilesKey(groupBy, version, key));
    if (data.batchIr() == null) redis.del(batchKey);
    else redis.set(batchKey, data.batchIr());
    redis.del(tilesKey);
    if (!data.tiles().isEmpty()) {
      Map<byte[], byte[]> fields = new HashMap<>();
      data.tiles().forEach((start, ir) -> fields.put(bytes(RedisKeys.tileField(start)), ir));
      redis.hset(tilesKey, fields);
    }
  }

  public void setUploadMarker(String groupBy, int version, long batchEnd) {
    remember(groupBy, version);
    redis.set(bytes(RedisKeys.uploadKey(groupBy, version)), bytes(Long.toString(batchEnd)));
  }

  public void deleteUploadMarker(String groupBy, int version) {
    redis.del(bytes(RedisKeys.uploadKey(groupBy, version)));
  }

  /** Deletes every key of the GroupBy versions this helper wrote. */
  public void deleteAll() {
    for (String[] v : versions) {
      ScanIterator<byte[]> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches(RedisKeys.versionPattern(v[0], Integer.parseInt(v[1]))).limit(1000));
      List<byte[]> batch = new ArrayList<>();
      while (keys.hasNext()) {
        batch.add(keys.next());
        if (batch.size() == 500) {
          redis.unlink(batch.toArray(byte[][]::new));
          batch.clear();
        }
      }
      if (!batch.isEmpty()) redis.unlink(batch.toArray(byte[][]::new));
      redis.del(bytes(RedisKeys.uploadKey(v[0], Integer.parseInt(v[1]))));
    }
    versions.clear();
  }

  private void remember(String groupBy, int version) {
    if (versions.stream().noneMatch(v -> v[0].equals(groupBy) && v[1].equals(Integer.toString(version)))) {
      versions.add(new String[] {groupBy, Integer.toString(version)});
    }
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    deleteAll();
    connection.close();
    client.shutdown();
  }
}
