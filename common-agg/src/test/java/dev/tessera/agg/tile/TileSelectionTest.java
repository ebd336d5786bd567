package dev.tessera.agg.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.testkit.Seeds;
import dev.tessera.agg.window.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast read (a few rollups and tiles, {@link TileSelection}) against the read it replaces (every
 * tile of the hash): for random events, times and batch ends both give the same values and the same
 * {@code latestTileEnd}, for GroupBys whose windows put reaches inside hours, on hours and on days.
 */
class TileSelectionTest {
  static final long MIN = 60_000L, HOUR = 60 * MIN, DAY = 24 * HOUR;
  static final long DAY0 = 1_717_200_000_000L - 1_717_200_000_000L % DAY;

  static Stream<String> windows() {
    return Stream.of("[1h, 2d]", "[30m, 6h, 1d, 7d]", "[10m, 11h, 13h]", "[5m, 1d]");
  }

  static CompiledGroupBy groupBy(String windows) {
    return GroupByCompiler.compile("""
        name: selection_test
        keys: [user_id]
        sources: [{events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: %s}
          - {inputColumn: amount, operation: AVG, windows: %s}
          - {inputColumn: amount, operation: LAST_K, windows: %s, args: {k: 3}}
          - {inputColumn: amount, operation: COUNT}
        """.formatted(windows, windows, windows)).orThrow();
  }

  @ParameterizedTest
  @MethodSource("windows")
  void aSelectionGivesWhatEveryTileGives(String windows) {
    CompiledGroupBy g = groupBy(windows);
    IrCodec codec = new IrCodec(g);
    OnlineMerge merge = new OnlineMerge(g);
    Seeds.of(40).forEach(seed -> {
      Random rnd = new Random(seed);
      long batchEnd = DAY0 + DAY;
      // events from a day before the batch end to two days after it, some hours left empty
      TreeMap<Long, RowIr> tiles = new TreeMap<>();
      int events = 50 + rnd.nextInt(400);
      for (int i = 0; i < events; i++) {
        long ts = batchEnd - DAY + (long) (rnd.nextDouble() * 3 * DAY);
        if ((ts / HOUR) % 7 == 3) continue;
        RowIr ir = tiles.computeIfAbsent(Windows.floor(ts, g.tileSize()), s -> g.aggregator().newIr());
        g.aggregator().update(ir, row(g, ts, rnd.nextInt(1000) / 8.0));
      }
      Map<Long, byte[]> rollups = rollups(g, codec, tiles);
      BatchIr.Part[] parts = new BatchIr.Part[g.windowGroups().size()];
      for (int i = 0; i < parts.length; i++) parts[i] = new BatchIr.Part(null, new TreeMap<>());
      byte[] batch = codec.encodeBatch(new BatchIr(batchEnd, parts));
      PackedTiles all = PackedTiles.of(tiles.keySet().stream().mapToLong(Long::longValue).toArray(),
          tiles.values().stream().map(codec::encodeTile).toArray(byte[][]::new));
      for (int q = 0; q < 25; q++) {
        long t = batchEnd + (long) (rnd.nextDouble() * 2 * DAY);
        if (rnd.nextBoolean()) t = Windows.floor(t, g.tileSize());
        // a reader plans with the marker it saw last: the one read, or an older one
        long assumed = rnd.nextInt(4) == 0 ? batchEnd - DAY : batchEnd;
        TileSelection sel = TileSelection.of(g, t, assumed);
        assertThat(sel).as("seed %d", seed).isNotNull();
        assertThat(sel.holdsFor(batchEnd)).isTrue();
        List<Long> rollupStarts = new ArrayList<>();
        for (long h : sel.rollupStarts()) if (rollups.containsKey(h)) rollupStarts.add(h);
        List<Long> tileStarts = new ArrayList<>();
        for (long s : sel.tileStarts()) if (tiles.containsKey(s)) tileStarts.add(s);
        long[] starts = Stream.concat(rollupStarts.stream(), tileStarts.stream()).mapToLong(Long::longValue).toArray();
        int r = rollupStarts.size();
        byte[][] irs = new byte[starts.length][];
        for (int i = 0; i < starts.length; i++) irs[i] = i < r ? rollups.get(starts[i]) : codec.encodeTile(tiles.get(starts[i]));
        PackedTiles p = PackedTiles.of(starts, irs);
        PackedTiles selected = new PackedTiles(p.starts(), p.bytes(), p.ends(), p.count(), r);

        OnlineResult expected = merge.mergeEncoded(batch, all, t);
        OnlineResult actual = merge.mergeEncoded(batch, selected, t);
        for (var e : expected.features().entrySet()) {
          assertThat(ValueComparison.same(e.getValue(), actual.features().get(e.getKey()), ValueComparison.RELATIVE, false))
              .as("seed %d, t %d, %s: %s vs %s", seed, t, e.getKey(), e.getValue(), actual.features().get(e.getKey())).isTrue();
        }
        if (!tiles.subMap(batchEnd, t).isEmpty()) {
          assertThat(actual.latestTileEnd()).as("seed %d, t %d", seed, t).isEqualTo(expected.latestTileEnd());
        }
        assertThat(sel.fieldCount()).isLessThanOrEqualTo((int) ((t - assumed) / HOUR) + 2 * 12 * 3 + 1);
      }
    });
  }

  @Test
  void readsAFewDozenFieldsForADayOfFiveMinuteTiles() {
    CompiledGroupBy g = groupBy("[1h, 1d, 7d]");
    long b = DAY0 + DAY;
    TileSelection sel = TileSelection.of(g, b + DAY - MIN, b);
    // 22 whole hours; the hour holding the 1h window's start and the hour of t as tiles
    assertThat(sel.rollupStarts()).hasSize(22);
    assertThat(sel.tileStarts()).hasSize(24);
    assertThat(TileSelection.of(g, b, b).fieldCount()).isZero();
  }

  @Test
  void noSelectionWhenTilesAreHoursOrTheReadWouldBeHuge() {
    assertThat(TileSelection.of(groupBy("[1d]"), DAY0 + DAY, DAY0)).isNull(); // 1-hour tiles
    CompiledGroupBy lifetime = groupBy("[1h]");
    assertThat(TileSelection.of(lifetime, DAY0 + 100 * DAY, DAY0)).isNull();
    assertThat(TileSelection.of(lifetime, DAY0 + DAY, Long.MIN_VALUE)).isNull();
  }

  @Test
  void aRollupAcrossAWindowStartIsRefusedByTheMerge() {
    CompiledGroupBy g = groupBy("[1h, 2d]");
    IrCodec codec = new IrCodec(g);
    RowIr ir = g.aggregator().newIr();
    long h = DAY0 + DAY + 5 * HOUR;
    g.aggregator().update(ir, row(g, h + 1, 1));
    byte[] rollup = codec.encodeRollup(ir, h);
    PackedTiles one = new PackedTiles(new long[] {h}, rollup, new int[] {rollup.length}, 1, 1);
    // as of h + 1h30: the 1h window starts at h + 30 min, inside the hour
    assertThatThrownBy(() -> new OnlineMerge(g).mergeEncoded(null, one, h + 90 * MIN)).isInstanceOf(IllegalStateException.class);
  }

  /** Rollups as the stream writes them: per hour, the merge of its tiles, with its newest tile's start. */
  static Map<Long, byte[]> rollups(CompiledGroupBy g, IrCodec codec, TreeMap<Long, RowIr> tiles) {
    Map<Long, byte[]> out = new TreeMap<>();
    Map<Long, RowIr> merged = new TreeMap<>();
    Map<Long, Long> newest = new TreeMap<>();
    for (var e : tiles.entrySet()) {
      long h = Windows.floor(e.getKey(), TileSelection.ROLLUP);
      g.aggregator().merge(merged.computeIfAbsent(h, x -> g.aggregator().newIr()), codec.decodeTile(codec.encodeTile(e.getValue())));
      newest.merge(h, e.getKey(), Math::max);
    }
    merged.forEach((h, ir) -> out.put(h, codec.encodeRollup(ir, newest.get(h))));
    return out;
  }

  static Row row(CompiledGroupBy g, long ts, double amount) {
    return ((SourceResult.Accepted) g.apply(0, Map.of("user_id", "u", "amount", amount, "ts", ts))).row();
  }
}
