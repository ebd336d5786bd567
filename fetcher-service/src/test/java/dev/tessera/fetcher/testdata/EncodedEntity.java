package dev.tessera.fetcher.testdata;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.agg.tile.PackedTiles;
import dev.tessera.agg.window.Windows;
import dev.tessera.fetcher.store.StoredEntity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the two pipelines would have stored for one entity, built through common-agg as they build
 * it: the batch IR of an upload with batch end {@code B} from the rows before {@code B} (null when
 * the upload would write none), and the streaming tiles of the rows in {@code [B, until)}.
 */
public record EncodedEntity(byte[] batchIr, Map<Long, byte[]> tiles) {

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
    return new EncodedEntity(batch.isEmpty() ? null : codec.encodeBatch(batch.build()), encoded);
  }

  /** As the fetcher's store would return it. */
  public StoredEntity stored() {
    long[] starts = tiles.keySet().stream().mapToLong(Long::longValue).toArray();
    byte[][] irs = tiles.values().toArray(byte[][]::new);
    return new StoredEntity(batchIr, PackedTiles.of(starts, irs), null);
  }
}
