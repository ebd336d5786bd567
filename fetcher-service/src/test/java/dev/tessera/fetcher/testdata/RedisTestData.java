package dev.tessera.fetcher.testdata;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterCommands<byte[], byte[]> redis;
  private final List<String[]> versions = new ArrayList<>();

  public RedisTestData(String host, int port) {
    this(RedisURI.create(host, port));
  }

  public RedisTestData(RedisURI uri) {
    RedisClient standalone = RedisClient.create(uri);
    StatefulRedisConnection<byte[], byte[]> c = standalone.connect(ByteArrayCodec.INSTANCE);
    client = standalone;
    connection = c;
    redis = c.sync();
  }

  private RedisTestData(RedisClusterClient cluster) {
    StatefulRedisClusterConnection<byte[], byte[]> c = cluster.connect(ByteArrayCodec.INSTANCE);
    client = cluster;
    connection = c;
    redis = c.sync();
  }

  /** Writes to the Redis Cluster that {@code seeds} ({@code host:port,...}) belong to, each key to the master of its slot. */
  public static RedisTestData cluster(String seeds) {
    List<RedisURI> uris = new ArrayList<>();
    for (String s : seeds.split(",")) uris.add(RedisURI.create("redis://" + s));
    RedisClusterClient cluster = RedisClusterClient.create(uris);
    cluster.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(
        ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(2)).build()).build());
    return new RedisTestData(cluster);
  }

  public RedisClusterCommands<byte[], byte[]> redis() {
    return redis;
  }

  /** Replaces the entity's batch IR (deleted when null) and tiles, with their rollups and the {@code r} field when it has rollups. */
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
      data.rollups().forEach((hour, ir) -> fields.put(bytes(RedisKeys.rollupField(hour)), ir));
      if (!data.rollups().isEmpty()) {
        // padded past the default listpack value limit, as the stream writes it: the hash is a hash table
        fields.put(bytes(RedisKeys.ROLLUPS_FROM_FIELD), RedisKeys.padRollupsFrom(bytes(Long.toString(Long.MIN_VALUE)), 65));
      }
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
