package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.agg.tile.PackedTiles;
import dev.tessera.agg.window.Windows;
import dev.tessera.fetcher.store.StoredEntity;
import dev.tessera.fetcher.testdata.EncodedEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fetcher's per-entity merge: values equal the oracle's, and the upload-marker rules hold. */
class EntityMergerTest {
  static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  static final long B = 1_717_200_000_000L - 1_717_200_000_000L % DAY + 10 * DAY;

  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: merger_test
      keys: [user_id]
      sources: [{events: {table: purchases, topic: purchases, schema: %s, query: {timeColumn: ts}}}]
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h, 24h, 7d]}
        - {inputColumn: amount, operation: COUNT, windows: [1h, 7d]}
        - {inputColumn: qty, operation: SUM, windows: [7d]}
        - {inputColumn: merchant, operation: LAST_K, args: {k: "3"}}
      """.formatted(EventGenerator.SCHEMA_YAML)).orThrow();

  final EntityMerger merger = new EntityMerger(G);
  final NaiveAggregator oracle = new NaiveAggregator(G);

  @Test
  void batchIrPlusTilesEqualTheOracleForEveryEntityAndTime() {
    Map<List<Object>, List<Row>> byKey = Entities.rowsByKey(G, new EventGenerator(7).purchases(8, 3000, B - 9 * DAY, B + DAY));
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (var e : byKey.entrySet()) {
      for (long t : new long[] {B, B + 1, B + 5 * MINUTE, B + 3 * HOUR + 17, B + DAY - 5 * MINUTE, B + DAY - 1}) {
        StoredEntity stored = EncodedEntity.of(G, e.getValue(), B, t).stored();
        OnlineResult r = merged(merger.merge(stored, B, t));
        Map<String, Object> expected = oracle.valuesAt(e.getValue(), t);
        FeatureComparison.mismatches(expected, r.features(), Map.of()).forEach(m -> failures.add(e.getKey() + " t=" + t + " " + m));
        assertThat(r.asOf()).isEqualTo(t);
        assertThat(r.batchEnd()).isEqualTo(B);
        compared++;
      }
    }
    assertThat(compared).isEqualTo(byKey.size() * 6);
    assertThat(failures).isEmpty();
  }

  @Test
  void anEntityWithoutBatchIrIsServedFromTheMarkerOn() {
    // events only after B: the upload wrote no batch IR for this entity
    List<Row> rows = rows(B + 10 * MINUTE, 5.0, B + 2 * HOUR, 7.0);
    StoredEntity stored = EncodedEntity.of(G, rows, B, B + DAY).stored();
    assertThat(stored.batchIr()).isNull();
    long t = B + 3 * HOUR;
    OnlineResult r = merged(merger.merge(stored, B, t));
    assertThat(r.features()).containsEntry("amount_sum_7d", 12.0).containsEntry("amount_count_1h", 1L).containsEntry("amount_sum_1h", 7.0)
        .containsEntry("amount_count_7d", 2L);
    assertThat(r.batchEnd()).isEqualTo(B);
    assertThat(r.latestTileEnd()).isEqualTo(B + 2 * HOUR + 5 * MINUTE);
    assertThat(r.stale()).isFalse();
  }

  @Test
  void tilesBeforeTheMarkerDoNotCountForAnEntityWithoutBatchIr() {
    // a tile left from before the upload (kept two days): the upload saw no events of this entity, so it must not count
    Map<Long, byte[]> tiles = new LinkedHashMap<>(EncodedEntity.of(G, rows(B - 2 * HOUR, 100.0), B - DAY, B).tiles());
    tiles.putAll(EncodedEntity.of(G, rows(B + HOUR, 1.0), B, B + DAY).tiles());
    StoredEntity stored = new EncodedEntity(null, tiles).stored();
    OnlineResult withMarker = merged(merger.merge(stored, B, B + 2 * HOUR));
    assertThat(withMarker.features()).containsEntry("amount_sum_7d", 1.0);
    // with no upload ever, every tile in the window counts (pure streaming)
    OnlineResult streamingOnly = merged(merger.merge(stored, null, B + 2 * HOUR));
    assertThat(streamingOnly.features()).containsEntry("amount_sum_7d", 101.0);
    assertThat(streamingOnly.batchEnd()).isNull();
  }

  @Test
  void aBatchIrOlderThanTheMarkerIsOutOfDateAndNotStale() {
    // the previous upload (B - 1 day) wrote an IR; the latest (B) had nothing in reach for this entity
    List<Row> old = rows(B - 8 * DAY - HOUR, 50.0);
    StoredEntity stored = EncodedEntity.of(G, old, B - DAY, B).stored();
    assertThat(stored.batchIr()).isNotNull();
    OnlineResult r = merged(merger.merge(stored, B, B + HOUR));
    assertThat(r.batchEnd()).isEqualTo(B);
    assertThat(r.stale()).isFalse();
    assertThat(r.features()).containsEntry("amount_sum_7d", null).containsEntry("merchant_last_k", null);
  }

  @Test
  void aBatchIrNewerThanTheMarkerIsUsed() {
    // an upload in progress has written this entity's new IR but not the marker yet
    List<Row> rows = rows(B - HOUR, 4.0);
    StoredEntity stored = EncodedEntity.of(G, rows, B, B).stored();
    OnlineResult r = merged(merger.merge(stored, B - DAY, B + 10 * MINUTE));
    assertThat(r.batchEnd()).isEqualTo(B);
    assertThat(r.features()).containsEntry("amount_sum_24h", 4.0);
  }

  @Test
  void aDayOldBatchIrIsServedAndMarkedStale() {
    List<Row> rows = rows(B - HOUR, 4.0);
    StoredEntity stored = EncodedEntity.of(G, rows, B, B).stored();
    OnlineResult r = merged(merger.merge(stored, B, B + DAY));
    assertThat(r.stale()).isTrue();
    assertThat(r.features()).containsEntry("amount_sum_7d", 4.0);
  }

  @Test
  void aTimeBeforeTheBatchEndFailsWithAnExplanation() {
    StoredEntity stored = EncodedEntity.of(G, rows(B - HOUR, 4.0), B, B).stored();
    EntityMerger.Failed f = failed(merger.merge(stored, B, B - 1));
    assertThat(f.kind()).isEqualTo("before_batch_end");
    assertThat(f.message()).contains("ends at " + B).contains("atMillis >= " + B);
  }

  @Test
  void corruptOrForeignBytesFailOnlyAsThatEntity() {
    StoredEntity good = EncodedEntity.of(G, rows(B - HOUR, 4.0, B + MINUTE, 1.0), B, B + HOUR).stored();
    byte[] truncated = java.util.Arrays.copyOf(good.batchIr(), good.batchIr().length - 3);
    EntityMerger.Failed f1 = failed(merger.merge(new StoredEntity(truncated, good.tiles(), null), B, B + HOUR));
    assertThat(f1.kind()).isEqualTo("corrupt_ir");
    assertThat(f1.message()).startsWith("stored data of this key cannot be read");

    byte[] unknownFormat = good.tiles().ir(0);
    unknownFormat[0] = 0x7F;
    EntityMerger.Failed f2 = failed(merger.merge(new StoredEntity(good.batchIr(), PackedTiles.of(new long[] {good.tiles().start(0)},
        new byte[][] {unknownFormat}), null), B, B + HOUR));
    assertThat(f2.message()).contains("format byte 0x7f");

    // a tile of another GroupBy (another column layout) is refused, not misread
    CompiledGroupBy other = GroupByCompiler.compile("""
        name: other
        keys: [user_id]
        sources: [{events: {table: purchases, schema: %s, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: MAX, windows: [1h]}]
        """.formatted(EventGenerator.SCHEMA_YAML)).orThrow();
    byte[] foreign = new IrCodec(other).encodeTile(other.aggregator().newIr());
    EntityMerger.Failed f3 = failed(merger.merge(new StoredEntity(null, PackedTiles.of(new long[] {B}, new byte[][] {foreign}), null), B, B + HOUR));
    assertThat(f3.message()).contains("another column layout");

    // the good entity still merges
    assertThat(merged(merger.merge(good, B, B + HOUR)).features()).containsEntry("amount_sum_24h", 5.0);
  }

  @Test
  void anUnreadableKeyFailsWithTheStoreMessage() {
    EntityMerger.Failed f = failed(merger.merge(StoredEntity.failed("batch IR key cannot be read: WRONGTYPE"), B, B));
    assertThat(f).isEqualTo(new EntityMerger.Failed("unreadable_key", "batch IR key cannot be read: WRONGTYPE"));
  }

  @Test
  void anEntityWithNoDataAtAllHasTheEmptyResults() {
    OnlineResult r = merged(merger.merge(new StoredEntity(null, null, null), B, B + HOUR));
    assertThat(r.features()).containsEntry("amount_sum_1h", null).containsEntry("amount_count_7d", 0L)
        .containsEntry("merchant_last_k", null).hasSize(G.features().size());
    assertThat(r.latestTileEnd()).isNull();
    assertThat(Windows.isStale(r.batchEnd(), r.asOf())).isFalse();
  }

  /** Rows of user u1 at the given (ts, amount) pairs, merchant "shop", qty 1. */
  static List<Row> rows(Object... tsAmount) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < tsAmount.length; i += 2) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("user_id", "u1");
      e.put("merchant", "shop");
      e.put("amount", tsAmount[i + 1]);
      e.put("qty", 1L);
      e.put("currency", "USD");
      e.put("ts", tsAmount[i]);
      events.add(e);
    }
    return Entities.rowsByKey(G, events).values().iterator().next();
  }

  static OnlineResult merged(EntityMerger.Outcome o) {
    assertThat(o).isInstanceOf(EntityMerger.Merged.class);
    return ((EntityMerger.Merged) o).result();
  }

  static EntityMerger.Failed failed(EntityMerger.Outcome o) {
    assertThat(o).isInstanceOf(EntityMerger.Failed.class);
    return (EntityMerger.Failed) o;
  }
}
