package dev.tessera.bench;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIr;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.PackedTiles;
import dev.tessera.agg.window.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fetcher's work for one entity, from Redis bytes to values: decode a 7d batch IR and one day
 * of 5-minute tiles (288), merge, finish. Issue target: under 20 microseconds per key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OnlineMergeBenchmark {
  CompiledGroupBy groupBy;
  IrCodec codec;
  OnlineMerge merge;
  byte[] batchBytes;
  PackedTiles tiles;
  long t;

  @Setup
  public void setUp() {
    groupBy = BenchGroupBys.sumCountAvg();
    codec = new IrCodec(groupBy);
    merge = new OnlineMerge(groupBy);
    long b = BenchGroupBys.START + 8 * BenchGroupBys.DAY;
    t = b + BenchGroupBys.DAY - 1;
    // an active entity: an event every few minutes for 8 days (batch side) and one full day of tiles
    List<Row> rows = new ArrayList<>();
    for (long ts = b - 8 * BenchGroupBys.DAY; ts < t; ts += 97_000) {
      rows.add(new Row(ts, new Object[] {"u", (ts % 1000) / 10.0, ts}));
    }
    BatchIrBuilder builder = new BatchIrBuilder(groupBy, b);
    List<RowIr> tileIrs = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    for (Row r : rows) {
      if (r.ts() < b) {
        builder.add(r);
      } else {
        long start = Windows.floor(r.ts(), groupBy.tileSize());
        if (starts.isEmpty() || starts.getLast() != start) {
          starts.add(start);
          tileIrs.add(groupBy.aggregator().newIr());
        }
        groupBy.aggregator().update(tileIrs.getLast(), r);
      }
    }
    BatchIr batch = builder.build();
    batchBytes = codec.encodeBatch(batch);
    byte[][] tileBytes = tileIrs.stream().map(codec::encodeTile).toArray(byte[][]::new);
    if (tileBytes.length != 288) throw new IllegalStateException("expected 288 tiles, got " + tileBytes.length);
    // packed, as the fetcher reads them from Redis
    tiles = PackedTiles.of(starts.stream().mapToLong(Long::longValue).toArray(), tileBytes);
  }

  @Benchmark
  public Object mergeOneKeyFromBytes() {
    return merge.mergeEncoded(batchBytes, tiles, t);
  }
}
