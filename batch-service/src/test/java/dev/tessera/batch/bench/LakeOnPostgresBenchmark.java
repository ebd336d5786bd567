package dev.tessera.batch.bench;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.read.StreamedQuery;
import dev.tessera.batch.testing.LakeFiles;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.warehouse.Lake;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What reading a Parquet source costs with the PostgreSQL warehouse against the DuckDB warehouse (docs/benchmarks.md
 * "Parquet sources on PostgreSQL"): one key-hash partition's streamed read of a dataset (30 day folders x 4 files,
 * {@link EventQuery} as a backfill's partition runs it), through the DuckDB warehouse (its own {@code hash()}) and through
 * a PostgreSQL warehouse's in-memory DuckDB (PostgreSQL's {@code hashtext} as a Java function, so the partitions are
 * PostgreSQL's), alternately in rounds, the first a warm-up. Prints the median time of a partition's read for each.
 *
 * <p>Arguments: {@code --dir=path --events=N --keys=N --partitions=N} (others ignored).
 */
public final class LakeOnPostgresBenchmark {
  private static final int ROUNDS = 7;

  private LakeOnPostgresBenchmark() {}

  public static void main(String[] args) throws SQLException {
    Map<String, String> a = BatchBenchmark.options(args);
    Path dir = Path.of(a.getOrDefault("dir", "target/bench")).resolve("lake-pg-" + UUID.randomUUID());
    int events = Integer.parseInt(a.getOrDefault("events", "2000000"));
    int keys = Integer.parseInt(a.getOrDefault("keys", "20000"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "8"));
    Path lake = dir.resolve("lake");
    LakeFiles.writePurchases(new EventGenerator(5).purchases(keys, events, BackfillSupport.JAN_1, BackfillSupport.JAN_1 + 30 * BackfillSupport.DAY),
        lake.resolve("purchases"), dir, 4);
    SourcePlan source = SourcePlan.of(GroupByCompiler.compile(GroupByReader.read(BackfillSupport.windowedGroupBy("bench", "purchases")
        .replace("table: purchases\n", "parquet: purchases/ds=*/*.parquet\n")).groupBy()).orThrow()).getFirst();
    long[][] times = new long[2][ROUNDS];
    long[] rows = new long[2];
    try (Warehouse duck = Warehouse.duckDb(dir.resolve("w.duckdb"), "2GB", 0, null, 10000).lake(new Lake(lake));
        // never connected: every statement of this benchmark reads Parquet
        Warehouse pg = Warehouse.postgres(Postgres.URL, Postgres.USER, "", 1, 10000, "2GB", 0, null).lake(new Lake(lake))) {
      List<Warehouse> both = List.of(duck, pg);
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < 2; i++) {
          int w = (round + i) % 2;
          long start = System.nanoTime();
          rows[w] = read(both.get(w), source, new Partition(round % partitions, partitions));
          times[w][round] = System.nanoTime() - start;
        }
      }
    }
    double duckMs = median(times[0]) / 1e6;
    double pgMs = median(times[1]) / 1e6;
    System.out.printf(Locale.ROOT, "load average %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%d events, %d keys, partition 1/%d (about %d rows): DuckDB warehouse %.0f ms, PostgreSQL warehouse's DuckDB"
        + " %.0f ms, ratio %.2f%n", events, keys, partitions, rows[0], duckMs, pgMs, pgMs / duckMs);
  }

  /** One partition's rows, streamed to the end. */
  private static long read(Warehouse w, SourcePlan s, Partition p) throws SQLException {
    ParquetDataset dataset = (ParquetDataset) s.table();
    EventQuery q = EventQuery.of(w.dialect(dataset), s, null, null, p, null, null, List.of(), w.from(dataset, s.input(), null, null));
    long n = 0;
    try (StreamedQuery stream = StreamedQuery.open(w, dataset, q.sql(), q.parameters())) {
      ResultSet rs = stream.rows();
      while (rs.next()) n++;
    }
    return n;
  }

  /** The median of the rounds after the first (a warm-up). */
  private static long median(long[] rounds) {
    long[] t = Arrays.copyOfRange(rounds, 1, rounds.length);
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
