package dev.tessera.batch.bench;

import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.PartitionFence;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What the partition fence costs a chunk (docs/benchmarks.md "Partition fence"): the same chunks
 * (rows of a key, a day and three values, as a backfill writes) committed through {@link ChunkWriter}
 * with no holding bound (no fence) and with one (the fence row checked in each chunk's
 * transaction), alternately in rounds, on a DuckDB file and on PostgreSQL (when reachable), in one
 * run. Prints the median time per chunk of each and their ratio, for chunks of 500 and of 5000 rows
 * (a backfill's chunk is {@code chunk-entities} entities, 5000 by default, each a row per day: the
 * larger is nearer a real chunk; the fence's cost per chunk does not depend on its rows).
 *
 * <p>Arguments: {@code --dir=path} (others ignored).
 */
public final class PartitionFenceBenchmark {
  private static final List<OutColumn> COLUMNS = List.of(new OutColumn("k", ColumnKind.BIGINT), new OutColumn("ds", ColumnKind.DATE),
      new OutColumn("a", ColumnKind.DOUBLE), new OutColumn("b", ColumnKind.BIGINT), new OutColumn("c", ColumnKind.TEXT));
  private static final int ROUNDS = 6;

  private PartitionFenceBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> a = BatchBenchmark.options(args);
    Path dir = Path.of(a.getOrDefault("dir", "target/bench"));
    List<String> lines = new ArrayList<>();
    try (Warehouse duck = Warehouse.duckDb(dir.resolve("fence-" + UUID.randomUUID() + ".duckdb"), "2GB", 0, null, 10000)) {
      lines.add(measure("DuckDB", duck, 200, 500));
      lines.add(measure("DuckDB", duck, 40, 5000));
    }
    if (Postgres.reachable()) {
      String schema = Postgres.newSchema("fence_bench_");
      Postgres.execute("CREATE SCHEMA " + schema);
      try (Warehouse pg = Warehouse.postgres(Postgres.URL + "?currentSchema=" + schema + "&reWriteBatchedInserts=true", Postgres.USER, "",
          4, 10000)) {
        lines.add(measure("PostgreSQL", pg, 200, 500));
        lines.add(measure("PostgreSQL", pg, 40, 5000));
      } finally {
        Postgres.dropSchema(schema);
      }
    }
    System.out.printf(Locale.ROOT, "load average %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    lines.forEach(System.out::println);
  }

  private static String measure(String name, Warehouse w, int chunks, int rows) {
    TableName table = new TableName(null, "fence_bench_out");
    OutputTables.createOrVerify(w, table, COLUMNS);
    PartitionFence fence = new PartitionFence(w);
    PartitionFence.Holding holding = fence.take(1, "bench.partition:p000");
    List<Double> plain = new ArrayList<>();
    List<Double> fenced = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // the first round of each is a warm-up (JIT, the database's caches) and is not counted
      double p = perChunk(w, table, chunks, rows, null);
      double f = perChunk(w, table, chunks, rows, holding);
      if (round > 0) {
        plain.add(p);
        fenced.add(f);
      }
    }
    double p = median(plain);
    double f = median(fenced);
    return String.format(Locale.ROOT, "%s, %d chunks of %d rows per round, median of %d rounds: %.3f ms a chunk without the fence, "
        + "%.3f ms with it (%.3f ms more, ratio %.3f)", name, chunks, rows, ROUNDS - 1, p, f, f - p, f / p);
  }

  /** Milliseconds per chunk of {@code chunks} chunks, committed under {@code holding} (null: none). */
  private static double perChunk(Warehouse w, TableName table, int chunks, int rows, PartitionFence.Holding holding) {
    if (holding != null) PartitionFence.hold(holding);
    try (ChunkWriter writer = new ChunkWriter(w, table, COLUMNS)) {
      long t0 = System.nanoTime();
      for (int c = 0; c < chunks; c++) {
        for (int r = 0; r < rows; r++) {
          writer.append(new Object[] {(long) c * rows + r, java.time.LocalDate.of(2024, 1, 1 + r % 28), r * 0.5, (long) r, "x" + (r % 100)});
        }
        writer.commit();
      }
      return (System.nanoTime() - t0) / 1e6 / chunks;
    } finally {
      PartitionFence.release();
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
