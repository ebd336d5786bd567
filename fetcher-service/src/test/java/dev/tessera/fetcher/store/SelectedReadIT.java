package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.fetcher.testdata.EncodedEntity;
import dev.tessera.fetcher.testdata.RedisTestData;
import dev.tessera.fetcher.testdata.TestGroupBys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A read by {@link TileSelection} against the real Redis on 6379: it reads the picked rollups and
 * tiles only (HLEN + HMGET), and an entity is read whole, in a second round trip, when its hash was
 * written before rollups existed or the upload marker is older than the selection assumed. Either
 * way the merged values are those of the whole hash.
 */
class SelectedReadIT {
  static final long MIN = 60_000L, HOUR = 60 * MIN, DAY = 24 * HOUR, B = 20_000 * DAY;
  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: %s
      keys: [user_id]
      sources: [{events: {table: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations: [{inputColumn: amount, operation: SUM, windows: [1h, 1d]}, {inputColumn: amount, operation: COUNT}]
      """.formatted(TestGroupBys.uniqueName("it_selected"))).orThrow();

  final RedisTestData data = new RedisTestData("127.0.0.1", 6379);
  final RedisShards shards = RedisShards.of(new DataRedisConnectionDetails() {
    @Override
    public Standalone getStandalone() {
      return Standalone.of("127.0.0.1", 6379);
    }
  }, 4, Duration.ofSeconds(1), Duration.ofSeconds(5), "tessera-it-selected");
  final DeadlineWatchdog watchdog = new DeadlineWatchdog(Duration.ofMillis(5));
  final JedisReader reader = new JedisReader(shards, watchdog);
  final long t = B + 20 * HOUR + 37 * MIN;
  EncodedEntity withRollups;

  @BeforeEach
  void write() {
    List<Map<String, Object>> events = new ArrayList<>();
    for (long ts = B - 2 * HOUR; ts < B + DAY; ts += 7 * MIN) events.add(Map.of("user_id", "u", "amount", ts % 13 + 0.5, "ts", ts));
    List<Row> rows = Entities.rowsByKey(G, events).get(List.of("u"));
    withRollups = EncodedEntity.of(G, rows, B, B + DAY);
    assertThat(withRollups.rollups()).hasSize(24);
    data.setUploadMarker(G.name(), 1, B);
    data.write(G.name(), 1, List.of("new"), withRollups);
    data.write(G.name(), 1, List.of("old"), withRollups.withoutRollups());
  }

  @AfterEach
  void clean() {
    data.deleteAll();
    watchdog.close();
    shards.close();
    data.close();
  }

  private List<StoreRead> read(List<StoreRequest> requests) throws Exception {
    return reader.read(requests, System.nanoTime() + Duration.ofSeconds(5).toNanos());
  }

  private Map<String, Object> merged(StoredEntity e) {
    return new OnlineMerge(G).mergeEncoded(e.batchIr(), e.tiles(), t).features();
  }

  @Test
  void aSelectionReadsRollupsAndAFewTilesAndMergesToWhatTheWholeHashGives() throws Exception {
    TileSelection selection = TileSelection.of(G, t, B);
    List<List<Object>> keys = List.of(List.of("new"), List.of("old"), List.of("nobody"));
    StoreRead selected = read(List.of(new StoreRequest(G.name(), 1, keys, selection))).getFirst();
    StoreRead whole = read(List.of(new StoreRequest(G.name(), 1, keys))).getFirst();

    StoredEntity fresh = selected.entities().get(0);
    assertThat(fresh.incomplete()).isFalse();
    assertThat(fresh.tiles().rollups()).isEqualTo(selection.rollupStarts().length).isEqualTo(19);
    assertThat(fresh.tiles().count()).isLessThan(whole.entities().get(0).tiles().count() / 4);
    assertThat(merged(fresh)).isEqualTo(merged(whole.entities().get(0)));
    // written before rollups: read whole in the second round trip
    StoredEntity old = selected.entities().get(1);
    assertThat(old.tiles().rollups()).isZero();
    assertThat(old.tiles().count()).isEqualTo(withRollups.tiles().size());
    assertThat(merged(old)).isEqualTo(merged(fresh));
    StoredEntity nobody = selected.entities().get(2);
    assertThat(nobody.failed()).isFalse();
    assertThat(nobody.tiles().count()).isZero();
  }

  @Test
  void theStreamsPaddedRFieldTellsTheReaderTheTilesHashesAreHashTablesOnAServerWithDefaultLimits() throws Exception {
    // DESIGN.md "Storage layout in Redis": r is padded past hash-max-listpack-value (64 by default)
    byte[] newKey = RedisTestData.bytes(RedisKeys.tilesKey(G.name(), 1, List.of("new")));
    assertThat(data.redis().objectEncoding(newKey)).isEqualTo("hashtable");
    TileSelection selection = TileSelection.of(G, t, B);
    StoreRead selected = read(List.of(new StoreRequest(G.name(), 1, List.of(List.of("new")), selection))).getFirst();
    assertThat(selected.listpackHashes()).as("a selected read sees the padded r").isFalse();
    StoreRead whole = read(List.of(new StoreRequest(G.name(), 1, List.of(List.of("new"))))).getFirst();
    assertThat(whole.listpackHashes()).as("a whole read too").isFalse();
    // the same hash with r unpadded (as written before the stream padded it) is judged by the server's defaults: a listpack
    data.redis().hset(newKey, RedisTestData.bytes(RedisKeys.ROLLUPS_FROM_FIELD), RedisTestData.bytes(Long.toString(Long.MIN_VALUE)));
    assertThat(read(List.of(new StoreRequest(G.name(), 1, List.of(List.of("new")), selection))).getFirst().listpackHashes()).isTrue();
  }

  @Test
  void aSelectionPlannedWithANewerBatchEndThanTheMarkerReadsWhole() throws Exception {
    // planned as if today's upload had landed; the marker still says yesterday's
    TileSelection ahead = TileSelection.of(G, t, B + 10 * HOUR);
    StoreRead read = read(List.of(new StoreRequest(G.name(), 1, List.of(List.of("new")), ahead))).getFirst();
    StoredEntity e = read.entities().getFirst();
    assertThat(e.incomplete()).isFalse();
    assertThat(e.tiles().rollups()).isZero();
    assertThat(e.tiles().count()).isEqualTo(withRollups.tiles().size());
    assertThat(read.uploadMarker()).isEqualTo(B);
  }

  @Test
  void aKeyOfTheWrongTypeFailsThatKeyOnlyInASelectedRead() throws Exception {
    data.redis().set(RedisTestData.bytes(RedisKeys.tilesKey(G.name(), 1, List.of("wrong"))), RedisTestData.bytes("not a hash"));
    StoreRead read = read(List.of(new StoreRequest(G.name(), 1, List.of(List.of("wrong"), List.of("new")), TileSelection.of(G, t, B))))
        .getFirst();
    assertThat(read.entities().get(0).error()).startsWith("tiles key cannot be read: WRONGTYPE");
    assertThat(read.entities().get(1).failed()).isFalse();
    assertThat(read.entities().get(1).tiles().rollups()).isPositive();
  }
}
