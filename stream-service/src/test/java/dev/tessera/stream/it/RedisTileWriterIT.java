package dev.tessera.stream.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.sink.EntityTiles;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.stream.sink.TileWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Storage layout in Redis": a tiles hash with rollups is a hash table whatever the
 * server's listpack limits, because the writer pads its {@code r} field past
 * {@code hash-max-listpack-value}; a hash of small values without rollups is left to the server.
 */
class RedisTileWriterIT {
  private static final long HOUR = 3_600_000L;
  private final String name = "it_writer_" + UUID.randomUUID().toString().substring(0, 8);
  private RedisClient client;
  private StatefulRedisConnection<String, String> redis;
  private RedisTileWriterFactory writers;
  private String listpackValue;

  @BeforeEach
  void connect() {
    client = RedisClient.create(KafkaRedis.REDIS_URI);
    redis = client.connect();
    writers = new RedisTileWriterFactory(RedisURI.create(KafkaRedis.REDIS_URI), Duration.ofSeconds(5));
    listpackValue = redis.sync().configGet("hash-max-listpack-value").get("hash-max-listpack-value");
  }

  @AfterEach
  void clean() {
    redis.sync().keys(RedisKeys.versionPattern(name, 1)).forEach(k -> redis.sync().del(k));
    writers.close();
    redis.close();
    client.shutdown();
  }

  @Test
  void aTilesHashWithRollupsIsAHashTableThoughEveryTileWouldFitAListpack() {
    String key = RedisKeys.tilesKey(name, 1, List.of("u1"));
    long hour = 1_767_225_600_000L;
    try (TileWriter writer = writers.open(name, 1)) {
      writer.write(List.of(new EntityTiles(key, Map.of(
          RedisKeys.tileField(hour), small(), RedisKeys.tileField(hour + 300_000), small(), RedisKeys.rollupField(hour), small(),
          RedisKeys.ROLLUPS_FROM_FIELD, Long.toString(hour - HOUR).getBytes(StandardCharsets.US_ASCII)), List.of(), 3600)));
    }
    assertThat(redis.sync().objectEncoding(key)).as("hash-max-listpack-value is %s", listpackValue).isEqualTo("hashtable");
    String r = redis.sync().hget(key, RedisKeys.ROLLUPS_FROM_FIELD);
    assertThat(r.length()).isEqualTo(Integer.parseInt(listpackValue) + 1);
    assertThat(RedisKeys.rollupsFrom(r.getBytes(StandardCharsets.US_ASCII))).isEqualTo(hour - HOUR);
    assertThat(redis.sync().hlen(key)).isEqualTo(4);
  }

  @Test
  void aTilesHashWithoutRollupsIsLeftToTheServer() {
    String key = RedisKeys.tilesKey(name, 1, List.of("u2"));
    try (TileWriter writer = writers.open(name, 1)) {
      writer.write(List.of(new EntityTiles(key, Map.of(RedisKeys.tileField(0), small(), RedisKeys.tileField(HOUR), small()), List.of(), 3600)));
    }
    assertThat(redis.sync().objectEncoding(key)).isEqualTo("listpack");
  }

  @Test
  void withHashTablesOffTheEncodingIsLeftToTheServer() {
    String key = RedisKeys.tilesKey(name, 1, List.of("u3"));
    long hour = 1_767_225_600_000L;
    try (RedisTileWriterFactory plain = new RedisTileWriterFactory(List.of(RedisURI.create(KafkaRedis.REDIS_URI)), false, null, Duration.ofSeconds(5), false);
        TileWriter writer = plain.open(name, 1)) {
      writer.write(List.of(new EntityTiles(key, Map.of(RedisKeys.tileField(hour), small(), RedisKeys.rollupField(hour), small(),
          RedisKeys.ROLLUPS_FROM_FIELD, Long.toString(hour).getBytes(StandardCharsets.US_ASCII)), List.of(), 3600)));
    }
    assertThat(redis.sync().objectEncoding(key)).isEqualTo("listpack");
    assertThat(redis.sync().hget(key, RedisKeys.ROLLUPS_FROM_FIELD)).isEqualTo(Long.toString(hour));
  }

  private static byte[] small() {
    return new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
  }
}
