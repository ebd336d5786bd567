package dev.tessera.agg.testkit;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIr;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.agg.tile.Tile;
import dev.tessera.agg.window.Windows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers around entities: raw events to rows per key, and the online path as the fetcher runs it. */
public final class Entities {
  private Entities() {}

  /** Accepted rows of each entity, sorted by time; filtered and rejected events are dropped. */
  public static Map<List<Object>, List<Row>> rowsByKey(CompiledGroupBy g, List<Map<String, Object>> events) {
    Map<List<Object>, List<Row>> out = new LinkedHashMap<>();
    for (Map<String, Object> e : events) {
      if (g.apply(0, e) instanceof SourceResult.Accepted a) {
        out.computeIfAbsent(g.keyOf(a.row()), k -> new ArrayList<>()).add(a.row());
      }
    }
    out.values().forEach(rows -> rows.sort(Comparator.comparingLong(Row::ts)));
    return out;
  }

  /** Key values in key order from a {@code {"user_id": "u1"}} map. */
  public static List<Object> key(CompiledGroupBy g, Map<String, Object> keys) {
    return g.keyNames().stream().map(keys::get).toList();
  }

  /**
   * The value the fetcher serves at {@code t}: a batch IR uploaded at {@code batchEnd} from the rows
   * before it, streaming tiles from the rows in {@code [batchEnd, t)}, both through their byte
   * encodings, merged at {@code t}.
   */
  public static OnlineResult online(CompiledGroupBy g, List<Row> rows, long batchEnd, long t) {
    IrCodec codec = new IrCodec(g);
    BatchIrBuilder builder = new BatchIrBuilder(g, batchEnd);
    Map<Long, RowIr> tiles = new TreeMap<>();
    for (Row r : rows) {
      if (r.ts() < batchEnd) {
        builder.add(r);
      } else if (r.ts() < t) {
        g.aggregator().update(tiles.computeIfAbsent(Windows.floor(r.ts(), g.tileSize()), s -> g.aggregator().newIr()), r);
      }
    }
    BatchIr batch = codec.decodeBatch(codec.encodeBatch(builder.build()));
    List<Tile> decoded = new ArrayList<>();
    tiles.forEach((start, ir) -> decoded.add(new Tile(start, codec.decodeTile(codec.encodeTile(ir)))));
    return new OnlineMerge(g).merge(batch, decoded, t);
  }

  /** Feature name -> value from a point-in-time result array. */
  public static Map<String, Object> named(CompiledGroupBy g, Object[] values) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) m.put(g.features().get(i).name(), values[i]);
    return m;
  }
}
