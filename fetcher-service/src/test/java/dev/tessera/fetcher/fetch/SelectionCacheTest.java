package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.tile.TileSelection;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A cached selection is always the one {@link TileSelection#of} makes for that fetch time and batch end. */
class SelectionCacheTest {
  private static final long DAY = 86_400_000L, TILE = 300_000L;

  static CompiledGroupBy groupBy(String windows) {
    return GroupByCompiler.compile("""
        name: g
        keys: [user_id]
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: SUM, windows: %s}]
        """.formatted(windows)).orThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1h, 24h, 7d]", "[5m, 90m, 13h]", "[7m, 1h]", "[30d, 2h]", "[1d]"})
  void everyCachedSelectionEqualsAFreshOne(String windows) {
    CompiledGroupBy g = groupBy(windows);
    SelectionCache cache = new SelectionCache(g);
    SplittableRandom random = new SplittableRandom(windows.hashCode());
    long midnight = 20_000L * DAY;
    long[] batchEnds = {midnight, midnight + TILE, midnight + 12_345, midnight - DAY};
    // walk forward through two days in small random steps (many fetches per tile period, some on boundaries), batch ends changing
    for (long t = midnight - 3 * TILE; t < midnight + 2 * DAY; t += random.nextLong(1, 40_000)) {
      if (random.nextInt(50) == 0) t = t / TILE * TILE; // a tile boundary itself
      long batchEnd = batchEnds[(int) ((t / (7 * TILE)) % batchEnds.length)];
      assertSame(cache.of(t, batchEnd), TileSelection.of(g, t, batchEnd), t, batchEnd);
    }
  }

  private static void assertSame(TileSelection cached, TileSelection fresh, long t, long batchEnd) {
    String at = "t=" + t + " batchEnd=" + batchEnd;
    if (fresh == null) {
      assertThat(cached).as(at).isNull();
      return;
    }
    assertThat(cached).as(at).isNotNull();
    assertThat(cached.batchEnd()).as(at).isEqualTo(fresh.batchEnd());
    assertThat(cached.rollupStarts()).as(at).containsExactly(fresh.rollupStarts());
    assertThat(cached.tileStarts()).as(at).containsExactly(fresh.tileStarts());
  }
}
