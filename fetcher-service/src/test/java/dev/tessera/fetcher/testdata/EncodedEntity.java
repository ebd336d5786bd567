package dev.tessera.fetcher.testdata;

import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.agg.tile.PackedTiles;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.agg.window.Windows;
import dev.tessera.fetcher.store.StoredEntity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the two pipelines would have stored for one entity, built through common-agg as they build
 * it: the batch IR of an upload with batch end {@code B} from the rows before {@code B} (null when
 * the upload would write none), and the streaming tiles of the rows in {@code [B, until)} with their
 * hour rollups (5-minute tiles only), as the stream writes them: per hour the merge of its tiles in
 * time order ({@code IrCodec.encodeRollup}); stream-service tests check the stream writes these bytes.
 */
public record EncodedEntity(byte[] batchIr, Map<Long, byte[]> tiles, Map<Long, byte[]> rollups) {
  /** Tiles without rollups: what a stream wrote before rollups existed. */
  public EncodedEntity(byte[] batchIr, Map<Long, byte[]> tiles) {
    this(batchIr, tiles, Map.of());
  }

  public EncodedEntity withoutRollups() {
    return new EncodedEntity(batchIr, tiles);
  }

  public static EncodedEntity of(CompiledGroupBy g, List<Row> rows, long batchEnd, long until) {
    IrCodec codec = new IrCodec(g);
    RowAggregator agg = g.aggregator();
    BatchIrBuilder batch = new BatchIrBuilder(g, batchEnd);
    Map<Long, RowIr> tiles = new TreeMap<>();
    for (Row r : rows) {
      if (r.ts() < batchEnd) batch.add(r);
      else if (r.ts() < until) agg.update(tiles.computeIfAbsent(Windows.floor(r.ts(), g.tileSize()), s -> agg.newIr()), r);
    }
    Map<Long, byte[]> encoded = new TreeMap<>();
    tiles.forEach((start, ir) -> encoded.put(start, codec.encodeTile(ir)));
    Map<Long, byte[]> rollups = new TreeMap<>();
    if (TileSelection.rollsUp(g.tileSize())) {
      Map<Long, RowIr> hours = new TreeMap<>();
      Map<Long, Long> newest = new TreeMap<>();
      boolean[] all = agg.mask(agg.allColumns());
      encoded.forEach((start, bytes) -> {
        long h = Windows.floor(start, TileSelection.ROLLUP);
        codec.mergeTile(hours.computeIfAbsent(h, x -> agg.newIr()), new ByteSource(bytes), all);
        newest.merge(h, start, Math::max);
      });
      hours.forEach((h, ir) -> rollups.put(h, codec.encodeRollup(ir, newest.get(h))));
    }
    return new EncodedEntity(batch.isEmpty() ? null : codec.encodeBatch(batch.build()), encoded, rollups);
  }

  /** As the fetcher's store would return it. */
  public StoredEntity stored() {
    long[] starts = tiles.keySet().stream().mapToLong(Long::longValue).toArray();
    byte[][] irs = tiles.values().toArray(byte[][]::new);
    return new StoredEntity(batchIr, PackedTiles.of(starts, irs), null);
  }
}
