package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.agg.tile.PackedTiles;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.ReferenceVectors;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.Tile;
import dev.tessera.agg.window.Windows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the stream side must produce, computed by common-agg directly from the events. */
public final class ExpectedTiles {
  private static final long DAY = 86_400_000L;

  private ExpectedTiles() {}

  /**
   * Encoded tiles per Redis key and field, built by RowAggregator from the accepted events in the
   * order given (the order a tile task sees one entity's events).
   */
  public static Map<String, Map<String, byte[]>> of(CompiledGroupBy g, int version, List<Map<String, Object>> events) {
    Map<String, TreeMap<Long, RowIr>> irs = new LinkedHashMap<>();
    for (Map<String, Object> e : events) {
      for (int s = 0; s < g.sources().size(); s++) {
        if (g.apply(s, e) instanceof SourceResult.Accepted a) {
          String key = RedisKeys.tilesKey(g.name(), version, g.keyOf(a.row()));
          g.aggregator().update(irs.computeIfAbsent(key, k -> new TreeMap<>())
              .computeIfAbsent(Windows.floor(a.row().ts(), g.tileSize()), t -> g.aggregator().newIr()), a.row());
        }
      }
    }
    IrCodec codec = new IrCodec(g);
    Map<String, Map<String, byte[]>> out = new TreeMap<>();
    irs.forEach((key, tiles) -> {
      Map<String, byte[]> fields = new TreeMap<>();
      tiles.forEach((start, ir) -> fields.put(RedisKeys.tileField(start), codec.encodeTile(ir)));
      out.put(key, fields);
    });
    return out;
  }

  /** True when {@code actual} holds exactly the expected hashes, fields and bytes. */
  public static boolean same(Map<String, ? extends Map<String, byte[]>> actual, Map<String, Map<String, byte[]>> expected) {
    if (!actual.keySet().equals(expected.keySet())) return false;
    for (var e : expected.entrySet()) {
      Map<String, byte[]> a = actual.get(e.getKey());
      if (!a.keySet().equals(e.getValue().keySet())) return false;
      for (var f : e.getValue().entrySet()) {
        if (!java.util.Arrays.equals(a.get(f.getKey()), f.getValue())) return false;
      }
    }
    return true;
  }

  public static void assertSame(Map<String, ? extends Map<String, byte[]>> actual, Map<String, Map<String, byte[]>> expected) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((key, fields) -> {
      assertThat(actual.get(key).keySet()).as("tile starts of %s", key).containsExactlyInAnyOrderElementsOf(fields.keySet());
      fields.forEach((field, bytes) -> assertThat(actual.get(key).get(field)).as("tile %s of %s", field, key).isEqualTo(bytes));
    });
  }

  /**
   * The fetcher's merge (batch IR as of B = the query's day from the events before B, plus the
   * streamed tiles) against every expected value of the vectors, for each query whose tile holds no
   * event at or after t (such a tile holds events the value as of t must not see). Returns the
   * mismatches and counts the queries compared in {@code compared[0]}.
   */
  public static List<String> vectorMismatches(ReferenceVectors v, CompiledGroupBy g, int version,
      Map<String, ? extends Map<String, byte[]>> redis, int[] compared) {
    return vectorMismatches(v, g, version, redis, null, compared);
  }

  /**
   * As above; with {@code rollups} (the rollup and {@code r} fields of each hash) the merge reads
   * what a fetcher's {@link TileSelection} reads: rollups of whole hours, tiles elsewhere.
   */
  public static List<String> vectorMismatches(ReferenceVectors v, CompiledGroupBy g, int version,
      Map<String, ? extends Map<String, byte[]>> redis, Map<String, ? extends Map<String, byte[]>> rollups, int[] compared) {
    IrCodec codec = new IrCodec(g);
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, v.events());
    Map<String, Operation> ops = new HashMap<>();
    for (Feature f : g.features()) ops.put(f.name(), g.aggregator().column(f.column()).aggregation().operation());
    List<String> failures = new ArrayList<>();
    for (ReferenceVectors.Query q : v.queries()) {
      List<Object> key = Entities.key(g, q.keys());
      List<Row> entityRows = rows.getOrDefault(key, List.of());
      long tileEnd = Windows.floor(q.t() - 1, g.tileSize()) + g.tileSize();
      if (entityRows.stream().anyMatch(r -> r.ts() >= q.t() && r.ts() < tileEnd)) continue;
      long batchEnd = Windows.floor(q.t(), DAY);
      BatchIrBuilder batch = new BatchIrBuilder(g, batchEnd);
      entityRows.stream().filter(r -> r.ts() < batchEnd).forEach(batch::add);
      List<Tile> tiles = new ArrayList<>();
      Map<String, byte[]> hash = redis.get(RedisKeys.tilesKey(g.name(), version, key));
      byte[] batchBytes = codec.encodeBatch(batch.build());
      TileSelection selection = rollups == null ? null : TileSelection.of(g, q.t(), batchEnd);
      OnlineResult result;
      if (selection == null) {
        if (hash != null) hash.forEach((field, bytes) -> tiles.add(new Tile(RedisKeys.tileStart(field), codec.decodeTile(bytes))));
        result = new OnlineMerge(g).merge(codec.decodeBatch(batchBytes), tiles, q.t());
      } else {
        Map<String, byte[]> rolled = rollups.get(RedisKeys.tilesKey(g.name(), version, key));
        if (rolled == null) rolled = Map.of();
        byte[] from = rolled.get(RedisKeys.ROLLUPS_FROM_FIELD);
        if (selection.rollupStarts().length > 0 && (from == null || RedisKeys.rollupsFrom(from) > selection.oldestRollup())) {
          failures.add(key + " t=" + q.t() + ": rollups from " + (from == null ? null : new String(from)) + " do not cover the selection");
          continue;
        }
        List<Long> starts = new ArrayList<>();
        List<byte[]> irs = new ArrayList<>();
        for (long h : selection.rollupStarts()) {
          byte[] r = rolled.get(RedisKeys.rollupField(h));
          if (r != null) {
            starts.add(h);
            irs.add(r);
          }
        }
        int rollupCount = starts.size();
        for (long s : selection.tileStarts()) {
          byte[] t = hash == null ? null : hash.get(RedisKeys.tileField(s));
          if (t != null) {
            starts.add(s);
            irs.add(t);
          }
        }
        PackedTiles p = PackedTiles.of(starts.stream().mapToLong(Long::longValue).toArray(), irs.toArray(byte[][]::new));
        result = new OnlineMerge(g).mergeEncoded(batchBytes, new PackedTiles(p.starts(), p.bytes(), p.ends(), p.count(), rollupCount), q.t());
      }
      for (String m : FeatureComparison.mismatches(q.features(), result.features(), ops)) failures.add(key + " t=" + q.t() + " " + m);
      compared[0]++;
    }
    return failures;
  }
}
