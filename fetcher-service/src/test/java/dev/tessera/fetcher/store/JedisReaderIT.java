package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one round trip of a fetch ({@link JedisReader}) against the real Redis on 6379: bytes come back exactly as the
 * pipelines wrote them, a key of the wrong type fails that key only and leaves the connection
 * usable, a connection Redis closed meanwhile costs no failed read, and a request too large for a
 * socket buffer goes through.
 */
class JedisReaderIT {
  static final long DAY = 24 * 60 * 60_000L, B = 20_000 * DAY;
  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: %s
      keys: [user_id]
      sources: [{events: {table: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations: [{inputColumn: amount, operation: SUM, windows: [1d]}]
      """.formatted(TestGroupBys.uniqueName("it_reader"))).orThrow();

  final RedisTestData data = new RedisTestData("127.0.0.1", 6379);
  /** A name of this test's own, so that it kills only its own connections. */
  final String clientName = "tessera-it-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  final RedisShards shards = RedisShards.of(new DataRedisConnectionDetails() {
    @Override
    public Standalone getStandalone() {
      return Standalone.of("127.0.0.1", 6379);
    }
  }, 8, Duration.ofSeconds(1), Duration.ofSeconds(5), clientName);
  final DeadlineWatchdog watchdog = new DeadlineWatchdog(Duration.ofMillis(5));
  final JedisReader reader = new JedisReader(shards, watchdog);
  EncodedEntity stored;

  @BeforeEach
  void write() {
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(G, List.of(
        Map.of("user_id", "u", "amount", 5.0, "ts", B - 60_000), Map.of("user_id", "u", "amount", 2.5, "ts", B + 60_000),
        Map.of("user_id", "u", "amount", 1.0, "ts", B + 7_200_000)));
    stored = EncodedEntity.of(G, rows.get(List.of("u")), B, B + DAY);
    data.setUploadMarker(G.name(), 1, B);
    data.write(G.name(), 1, List.of("u"), stored);
  }

  @AfterEach
  void clean() {
    watchdog.close();
    shards.close();
    data.close();
  }

  private StoreRead read(List<List<Object>> keys) throws Exception {
    return reader.read(G.name(), 1, keys, System.nanoTime() + Duration.ofSeconds(5).toNanos());
  }

  @Test
  void theBytesComeBackAsWrittenAndAMissingKeyIsEmpty() throws Exception {
    StoreRead read = read(List.of(List.of("u"), List.of("nobody")));
    assertThat(read.uploadMarker()).isEqualTo(B);
    StoredEntity u = read.entities().getFirst();
    assertThat(u.failed()).isFalse();
    assertThat(u.batchIr()).isEqualTo(stored.batchIr());
    assertThat(u.tiles().count()).isEqualTo(stored.tiles().size()).isEqualTo(2);
    for (int i = 0; i < u.tiles().count(); i++) assertThat(u.tiles().ir(i)).isEqualTo(stored.tiles().get(u.tiles().start(i)));
    StoredEntity nobody = read.entities().get(1);
    assertThat(nobody.failed()).isFalse();
    assertThat(nobody.batchIr()).isNull();
    assertThat(nobody.tiles().count()).isZero();
  }

  @Test
  void aKeyOfTheWrongTypeFailsThatKeyOnlyAndTheConnectionServesOn() throws Exception {
    data.redis().set(RedisTestData.bytes(RedisKeys.tilesKey(G.name(), 1, List.of("wrong"))), RedisTestData.bytes("not a hash"));
    StoreRead read = read(List.of(List.of("wrong"), List.of("u")));
    assertThat(read.entities().get(0).error()).startsWith("tiles key cannot be read: WRONGTYPE");
    assertThat(read.entities().get(1).failed()).isFalse();
    int open = shards.open();
    assertThat(read(List.of(List.of("u"))).entities().getFirst().failed()).isFalse();
    assertThat(shards.open()).as("the same connection, still in step").isEqualTo(open);
  }

  @Test
  void aConnectionRedisClosedMeanwhileIsReplacedWithinTheSameRead() throws Exception {
    assertThat(read(List.of(List.of("u"))).entities().getFirst().failed()).isFalse();
    // what a Redis restart (or a client timeout) does to the idle connection
    long killed = 0;
    for (String client : data.redis().clientList().split("\n")) {
      if (!client.contains(" name=" + clientName + " ")) continue;
      String addr = client.substring(client.indexOf("addr=") + 5, client.indexOf(' ', client.indexOf("addr=")));
      killed += data.redis().clientKill(io.lettuce.core.KillArgs.Builder.addr(addr).skipme());
    }
    assertThat(killed).isEqualTo(1);
    StoreRead read = read(List.of(List.of("u")));
    assertThat(read.entities().getFirst().failed()).isFalse();
    assertThat(read.entities().getFirst().batchIr()).isEqualTo(stored.batchIr());
  }

  @Test
  void aRequestLargerThanASocketBufferGoesThrough() throws Exception {
    List<List<Object>> keys = new ArrayList<>();
    String longId = "x".repeat(200);
    for (int i = 0; i < 2000; i++) keys.add(List.of(longId + i));
    keys.add(List.of("u"));
    StoreRead read = read(keys);
    assertThat(read.entities()).hasSize(2001);
    assertThat(read.entities().getLast().batchIr()).isEqualTo(stored.batchIr());
    assertThat(Arrays.stream(read.entities().subList(0, 2000).toArray(StoredEntity[]::new)).noneMatch(StoredEntity::failed)).isTrue();
  }

  @Test
  void severalGroupByVersionsComeBackInOneReadEachWithItsMarker() throws Exception {
    data.redis().set(RedisTestData.bytes(RedisKeys.uploadKey(G.name(), 2)), RedisTestData.bytes("not a time"));
    List<StoreRead> reads = reader.read(List.of(new StoreRequest(G.name(), 1, List.of(List.of("u"), List.of("nobody"))),
        new StoreRequest(G.name(), 2, List.of(List.of("u"))), new StoreRequest(G.name(), 3, List.of())),
        System.nanoTime() + Duration.ofSeconds(5).toNanos());
    assertThat(reads).hasSize(3);
    assertThat(reads.get(0).uploadMarker()).isEqualTo(B);
    assertThat(reads.get(0).entities().getFirst().batchIr()).isEqualTo(stored.batchIr());
    assertThat(reads.get(0).entities().get(1).batchIr()).isNull();
    assertThat(reads.get(1).markerError()).isEqualTo("upload marker is not a batch end in millis: 'not a time'");
    assertThat(reads.get(1).entities().getFirst().error()).isEqualTo(reads.get(1).markerError());
    assertThat(reads.get(2).uploadMarker()).isNull();
    assertThat(reads.get(2).entities()).isEmpty();
    data.redis().del(RedisTestData.bytes(RedisKeys.uploadKey(G.name(), 2)));
  }
}
