package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What happens to a tile after its events: it is written whole, it leaves the task's store once no
 * event can reach it, it survives a Redis outage, and it leaves Redis once no fetch can need it.
 */
class TileLifecycleTest {
  static final long DAY = 86_400_000L, HOUR = 3_600_000L, MIN = 60_000L;
  static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  static TopologySettings twoDays() {
    return TopologySettings.defaults("dlq").withRetention(Duration.ofDays(2), Duration.ofDays(30))
        .withStores(TopologySettings.StoreKind.IN_MEMORY);
  }

  static String key(String user) {
    return RedisKeys.tilesKey("lifecycle", 1, List.of(user));
  }

  static void send(TopologyHarness h, String user, double amount, long ts) {
    h.send("purchases", user, DeadLetterTest.event(user, amount, ts), ts);
  }

  @Test
  void closedTilesLeaveTheStoreOnceWrittenAndStayInRedis() {
    try (TopologyHarness h = new TopologyHarness(DeadLetterTest.purchases("lifecycle"), twoDays())) {
      send(h, "u1", 1.0, T0);
      send(h, "u1", 2.0, T0 + 2 * MIN);
      send(h, "u2", 3.0, T0 + MIN);
      h.flush();
      assertThat(h.storeSize()).isEqualTo(2);
      assertThat(h.storeRollups()).as("the T0 hour's rollups of u1 and u2").isEqualTo(2);
      send(h, "u1", 4.0, T0 + 2 * HOUR); // stream time passes T0 + 1h + 10m lateness: the T0 hour is closed, its tiles too
      h.flush();
      assertThat(h.storeSize()).isEqualTo(1);
      assertThat(h.storeRollups()).as("a rollup leaves the store with its hour's last tile").isEqualTo(1);
      assertThat(h.redis.hashes.get(key("u1"))).containsOnlyKeys(RedisKeys.tileField(T0), RedisKeys.tileField(T0 + 2 * HOUR));
      assertThat(h.redis.hashes.get(key("u2"))).containsOnlyKeys(RedisKeys.tileField(T0));
      // Only the tile that changed was written again.
      assertThat(h.redis.batches.getLast()).singleElement().satisfies(e -> {
        assertThat(e.tilesKey()).isEqualTo(key("u1"));
        assertThat(e.set()).containsOnlyKeys(RedisKeys.tileField(T0 + 2 * HOUR), RedisKeys.rollupField(T0 + 2 * HOUR),
            RedisKeys.ROLLUPS_FROM_FIELD);
      });
      // every hour with tiles has its rollup; a new task's rollups are complete for every hour
      assertThat(h.redis.rollups.get(key("u1"))).containsOnlyKeys(RedisKeys.rollupField(T0), RedisKeys.rollupField(T0 + 2 * HOUR),
          RedisKeys.ROLLUPS_FROM_FIELD);
      assertThat(new String(h.redis.rollups.get(key("u2")).get(RedisKeys.ROLLUPS_FROM_FIELD))).isEqualTo(Long.toString(Long.MIN_VALUE));
    }
  }

  /** A rollup stays in the store while its hour is open, so a late event of the hour adds to what closed tiles put in. */
  @Test
  void aRollupOutlivesItsClosedTilesAndTakesLaterEventsOfItsHour() {
    try (TopologyHarness h = new TopologyHarness(DeadLetterTest.purchases("lifecycle"), twoDays())) {
      send(h, "u1", 1.0, T0);
      h.flush();
      send(h, "u2", 2.0, T0 + 30 * MIN); // stream time T0+30m: u1's T0 tile is closed (5m + 10m lateness)
      h.flush();
      assertThat(h.storeSize()).as("u1's closed T0 tile left the store").isEqualTo(1);
      assertThat(h.storeRollups()).as("the T0 hour is open: both rollups stay").isEqualTo(2);
      send(h, "u1", 4.0, T0 + 20 * MIN); // its tile [20m, 25m) is still open
      h.flush();
      var rollup = new dev.tessera.agg.codec.IrCodec(h.g).decodeRollup(h.redis.rollups.get(key("u1")).get(RedisKeys.rollupField(T0)));
      assertThat(h.g.aggregator().finish(rollup.ir(), 0)).as("SUM(amount) of the hour: both events").isEqualTo(5.0);
      assertThat(rollup.newestTileStart()).isEqualTo(T0 + 20 * MIN);
    }
  }

  @Test
  void aRedisOutageLosesNothingDirtyTilesAreWrittenWholeWhenItIsBack() {
    try (TopologyHarness h = new TopologyHarness(DeadLetterTest.purchases("lifecycle"), twoDays())) {
      send(h, "u1", 1.0, T0);
      h.flush();
      byte[] before = h.redis.hashes.get(key("u1")).get(RedisKeys.tileField(T0));
      h.redis.failing = true;
      send(h, "u1", 2.0, T0 + MIN);
      send(h, "u1", 4.0, T0 + 2 * HOUR); // closes the T0 hour, whose tile is dirty and unwritten
      h.flush();
      h.flush();
      assertThat(h.storeSize()).as("a closed tile is kept until it is written").isEqualTo(2);
      assertThat(h.redis.hashes.get(key("u1")).get(RedisKeys.tileField(T0))).isEqualTo(before);
      assertThat(h.count("tiles.write.failures", "groupBy", "lifecycle")).isEqualTo(2);

      h.redis.failing = false;
      h.flush();
      assertThat(h.storeSize()).isEqualTo(1);
      assertThat(h.redis.hashes.get(key("u1"))).containsOnlyKeys(RedisKeys.tileField(T0), RedisKeys.tileField(T0 + 2 * HOUR));
      assertThat(h.redis.hashes.get(key("u1")).get(RedisKeys.tileField(T0))).isNotEqualTo(before);
      ExpectedTiles.assertSame(h.redis.hashes, ExpectedTiles.of(h.g, 1, List.of(
          java.util.Map.of("user_id", "u1", "amount", 1.0, "qty", 1L, "currency", "USD", "ts", T0),
          java.util.Map.of("user_id", "u1", "amount", 2.0, "qty", 1L, "currency", "USD", "ts", T0 + MIN),
          java.util.Map.of("user_id", "u1", "amount", 4.0, "qty", 1L, "currency", "USD", "ts", T0 + 2 * HOUR))));
    }
  }

  @Test
  void tilesOlderThanRetentionAreDeletedAndHashesExpire() {
    try (TopologyHarness h = new TopologyHarness(DeadLetterTest.purchases("lifecycle"), twoDays())) {
      send(h, "u1", 1.0, T0);
      send(h, "u1", 1.0, T0 + DAY + 10 * MIN);
      h.flush();
      send(h, "u1", 1.0, T0 + 2 * DAY + HOUR); // keep from T0 + 1h: the T0 tile goes
      h.flush();
      assertThat(h.redis.hashes.get(key("u1"))).containsOnlyKeys(
          RedisKeys.tileField(T0 + DAY + 10 * MIN), RedisKeys.tileField(T0 + 2 * DAY + HOUR));
      send(h, "u1", 1.0, T0 + 3 * DAY + 15 * MIN); // keep from T0 + 1d + 15m: the T0 + 1d + 10m tile goes
      h.flush();
      assertThat(h.redis.hashes.get(key("u1"))).containsOnlyKeys(
          RedisKeys.tileField(T0 + 2 * DAY + HOUR), RedisKeys.tileField(T0 + 3 * DAY + 15 * MIN));
      // Idle entities expire: 2 days of retention (more than the 1h window needs) + 1 day margin.
      assertThat(h.redis.ttls.get(key("u1"))).isEqualTo(3 * 86_400L);
      assertThat(h.count("tiles.trimmed", "groupBy", "lifecycle")).isEqualTo(2);
    }
  }

  @Test
  void anOlderUploadMarkerKeepsTilesBackToIt() {
    try (TopologyHarness h = new TopologyHarness(DeadLetterTest.purchases("lifecycle"), twoDays())) {
      h.redis.uploadEnd = T0; // the last upload covers events before T0: the fetcher needs tiles from T0 on
      send(h, "u1", 1.0, T0);
      h.flush();
      send(h, "u1", 1.0, T0 + 3 * DAY);
      h.flush();
      assertThat(h.redis.hashes.get(key("u1"))).containsOnlyKeys(RedisKeys.tileField(T0), RedisKeys.tileField(T0 + 3 * DAY));
    }
  }

  @Test
  void entitiesIdleBeyondRetentionAreSweptFromRedis() {
    try (TopologyHarness h = new TopologyHarness(DeadLetterTest.purchases("lifecycle"), twoDays())) {
      send(h, "u1", 1.0, T0);
      send(h, "u2", 1.0, T0);
      h.flush();
      send(h, "u2", 1.0, T0 + 3 * DAY);
      h.flush();
      assertThat(h.redis.hashes).containsKey(key("u1"));
      h.driver.advanceWallClockTime(Duration.ofMinutes(11)); // the sweep interval is 10 minutes
      assertThat(h.redis.hashes).doesNotContainKey(key("u1"));
      assertThat(h.redis.hashes.get(key("u2"))).containsOnlyKeys(RedisKeys.tileField(T0 + 3 * DAY));
    }
  }
}
