package dev.tessera.agg.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlineMergeTest {
  static final long HOUR = 3_600_000L, DAY = 24 * HOUR;
  static final long B = 1_717_286_400_000L;
  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: merge_test
      keys: [user_id]
      sources: [{events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h, 2d]}
        - {inputColumn: amount, operation: COUNT}
      """).orThrow();

  static Row row(long ts, double amount) {
    return ((SourceResult.Accepted) G.apply(0, Map.of("user_id", "u", "amount", amount, "ts", ts))).row();
  }

  static Tile tile(long start, Row... rows) {
    RowIr ir = G.aggregator().newIr();
    for (Row r : rows) G.aggregator().update(ir, r);
    return new Tile(start, ir);
  }

  @Test
  void tilesPackedIntoALargerPartlyFilledArrayMergeLikeSeparateOnes() {
    IrCodec codec = new IrCodec(G);
    long[] starts = {B, B - 10 * 60_000, B + 5 * 60_000};
    byte[][] irs = {
        codec.encodeTile(tile(B, row(B + 1, 3)).ir()),
        codec.encodeTile(tile(starts[1], row(starts[1] + 1, 2), row(starts[1] + 2, 4)).ir()),
        codec.encodeTile(tile(starts[2], row(starts[2] + 7, 0.5)).ir())};
    // as a reader fills them: arrays sized ahead, garbage after the last tile, one slot unused
    byte[] bytes = new byte[irs[0].length + irs[1].length + irs[2].length + 17];
    java.util.Arrays.fill(bytes, (byte) 0x55);
    long[] packedStarts = new long[4];
    int[] ends = new int[4];
    int at = 0;
    for (int i = 0; i < 3; i++) {
      System.arraycopy(irs[i], 0, bytes, at, irs[i].length);
      packedStarts[i] = starts[i];
      ends[i] = at += irs[i].length;
    }
    OnlineMerge merge = new OnlineMerge(G);
    OnlineResult packed = merge.mergeEncoded(null, new PackedTiles(packedStarts, bytes, ends, 3), B + HOUR);
    assertThat(packed).isEqualTo(merge.mergeEncoded(null, starts, irs, B + HOUR));
    assertThat(packed.features()).containsEntry("amount_sum_1h", 3.5).containsEntry("amount_sum_2d", 9.5).containsEntry("amount_count", 4L);
    assertThat(packed.latestTileEnd()).isEqualTo(B + 10 * 60_000);
  }

  @Test
  void packedTilesCheckTheirBounds() {
    assertThatThrownBy(() -> new PackedTiles(new long[1], new byte[4], new int[] {5}, 1)).hasMessageContaining("past the 4 bytes");
    assertThatThrownBy(() -> new PackedTiles(new long[1], new byte[4], new int[2], 2)).hasMessageContaining("2 tiles, but 1 starts");
    PackedTiles p = PackedTiles.of(new long[] {7, 9}, new byte[][] {{1, 2}, {3}});
    assertThat(p.count()).isEqualTo(2);
    assertThat(p.from(1)).isEqualTo(2);
    assertThat(p.ir(1)).containsExactly(3);
    // a tile whose end lies before its beginning is refused when read, as corrupt input
    PackedTiles bad = new PackedTiles(new long[] {B, B}, new byte[8], new int[] {6, 2}, 2);
    assertThatThrownBy(() -> new OnlineMerge(G).mergeEncoded(null, bad, B + HOUR)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void withoutABatchIrEveryTileInTheWindowCounts() {
    long t = B + 30 * 60_000;
    var r = new OnlineMerge(G).merge(null, List.of(tile(B - 10 * 60_000, row(B - 9 * 60_000, 2)), tile(B, row(B + 1, 3))), t);
    assertThat(r.features()).containsEntry("amount_sum_1h", 5.0).containsEntry("amount_sum_2d", 5.0).containsEntry("amount_count", 2L);
    assertThat(r.batchEnd()).isNull();
    assertThat(r.latestTileEnd()).isEqualTo(B + 5 * 60_000);
    assertThat(r.stale()).isFalse();
    assertThat(r.asOf()).isEqualTo(t);
  }

  @Test
  void tilesBeforeTheBatchEndAreIgnoredWhenThereIsABatchIr() {
    BatchIr batch = new BatchIrBuilder(G, B).add(row(B - 2 * HOUR, 100)).build();
    // a tile before B that the batch already covers must not count twice
    var r = new OnlineMerge(G).merge(batch, List.of(tile(B - HOUR, row(B - HOUR + 1, 7)), tile(B, row(B + 1, 3))), B + HOUR);
    assertThat(r.features()).containsEntry("amount_sum_2d", 103.0).containsEntry("amount_count", 2L);
    assertThat(r.batchEnd()).isEqualTo(B);
  }

  @Test
  void tilesStartingAtOrAfterTAreNotIncluded() {
    var r = new OnlineMerge(G).merge(null, List.of(tile(B, row(B, 1)), tile(B + 5 * 60_000, row(B + 5 * 60_000, 10))), B + 5 * 60_000);
    assertThat(r.features()).containsEntry("amount_sum_1h", 1.0);
    assertThat(r.latestTileEnd()).isEqualTo(B + 5 * 60_000);
  }

  @Test
  void aLateUploadIsServedAndFlaggedStale() {
    List<Row> rows = new ArrayList<>();
    rows.add(row(B - 40 * HOUR, 1));
    rows.add(row(B - 20 * HOUR, 2));
    BatchIr batch = new BatchIrBuilder(G, B).addAll(rows).build();
    var fresh = new OnlineMerge(G).merge(batch, List.of(), B + DAY - 1);
    var late = new OnlineMerge(G).merge(batch, List.of(), B + DAY + 10 * HOUR);
    assertThat(fresh.stale()).isFalse();
    assertThat(fresh.features()).containsEntry("amount_sum_2d", 2.0);
    assertThat(late.stale()).isTrue();
    // the 2d window at B+34h starts at B-14h: exactly it would be empty, but the collapsed part
    // [B-25h, B) cannot slide any more, so the event at B-20h is still served (DESIGN.md: a late
    // upload keeps serving, a window may cover more than it should, and says so)
    assertThat(late.features()).containsEntry("amount_sum_2d", 2.0).containsEntry("amount_count", 2L);
    // a window that no longer reaches back to B gets nothing from the batch IR
    assertThat(late.features().get("amount_sum_1h")).isNull();
  }

  @Test
  void anEntityWithNothingGetsEmptyResults() {
    var r = new OnlineMerge(G).merge(null, List.of(), B);
    assertThat(r.features()).containsEntry("amount_count", 0L);
    assertThat(r.features().get("amount_sum_1h")).isNull();
    assertThat(r.latestTileEnd()).isNull();
  }
}
