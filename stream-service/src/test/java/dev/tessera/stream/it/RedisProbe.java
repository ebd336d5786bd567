package dev.tessera.stream.it;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads (and cleans up) the tests' keys in the Redis on 127.0.0.1:6379; never touches other keys. */
public final class RedisProbe implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> redis;

  public RedisProbe() {
    this(KafkaRedis.REDIS_URI);
  }

  public RedisProbe(String uri) {
    client = RedisClient.create(uri);
    redis = client.connect(ByteArrayCodec.INSTANCE);
  }

  /** Writes the data set to disk (SAVE), so that a restarted server comes back with it. */
  public void save() {
    redis.sync().save();
  }

  /** Every tile hash whose key matches {@code pattern}: key -> tile field -> bytes (no rollups). */
  public Map<String, Map<String, byte[]>> hashes(String pattern) {
    return fields(pattern, true);
  }

  /** The hour rollups and the {@code r} field of every tile hash whose key matches {@code pattern}. */
  public Map<String, Map<String, byte[]>> rollups(String pattern) {
    return fields(pattern, false);
  }

  private Map<String, Map<String, byte[]>> fields(String pattern, boolean tiles) {
    Map<String, Map<String, byte[]>> out = new TreeMap<>();
    for (String key : keys(pattern)) {
      if (!key.endsWith(":t")) continue;
      Map<String, byte[]> fields = new TreeMap<>();
      redis.sync().hgetall(key.getBytes(StandardCharsets.UTF_8)).forEach((f, v) -> {
        String field = new String(f, StandardCharsets.UTF_8);
        boolean tile = !field.startsWith(RedisKeys.ROLLUP_PREFIX) && !field.equals(RedisKeys.ROLLUPS_FROM_FIELD);
        if (tile == tiles) fields.put(field, v);
      });
      if (tiles || !fields.isEmpty()) out.put(key, fields);
    }
    return out;
  }

  public List<String> keys(String pattern) {
    List<String> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = redis.sync().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
      page.getKeys().forEach(k -> keys.add(new String(k, StandardCharsets.UTF_8)));
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  public void deleteKeys(String pattern) {
    for (String k : keys(pattern)) redis.sync().del(k.getBytes(StandardCharsets.UTF_8));
  }

  public Long ttl(String key) {
    return redis.sync().ttl(key.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    redis.close();
    client.shutdown();
  }
}
