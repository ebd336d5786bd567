package dev.tessera.batch.bench;

import dev.tessera.batch.backfill.BackfillRequest;
import dev.tessera.batch.backfill.BackfillRequests;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.warehouse.Warehouse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The lake shuffle against the per-partition scan (docs/benchmarks.md, batch-service README "Lake shuffle"): in one
 * run, on one DuckDB file and one Parquet dataset of {@code days} day folders x {@code files} files holding
 * {@code events} purchases of {@code keys} users, the same backfill of the last {@code range} days
 *
 * <ul>
 *   <li>with today's read: every partition reads every file of its days and keeps its key-hash slice;
 *   <li>through the shuffle: a scatter step over the files, then each partition reads its bucket's spill files;
 * </ul>
 *
 * for each partition count of {@code --shuffle-partitions} (default 1,4; as many running at once as cores), after one warm-up
 * run, in {@code rounds} rounds of one scan and one shuffle back to back (the machine's load drifts: a round's two runs share
 * it; every other round the shuffle runs first);
 * the medians and the median of the rounds' ratios are reported. Every run's output must equal the first's row for row.
 *
 * <p>Arguments: {@code --events=N --keys=K --days=D --dir=path [--files=4] [--range=7] [--rounds=3] [--shuffle-partitions=1,4] [--memory=4GB]}.
 */
public final class LakeShuffleBenchmark {
  private static final String DATASET = "bench_lake";

  private LakeShuffleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BatchBenchmark.options(args);
    long events = Long.parseLong(a.getOrDefault("events", "3000000"));
    int keys = Integer.parseInt(a.getOrDefault("keys", "30000"));
    int days = Integer.parseInt(a.getOrDefault("days", "30"));
    int files = Integer.parseInt(a.getOrDefault("files", "4"));
    int range = Integer.parseInt(a.getOrDefault("range", "7"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    int[] counts = Arrays.stream(a.getOrDefault("shuffle-partitions", "1,4").split(",")).mapToInt(Integer::parseInt).toArray();
    Path dir = Path.of(a.getOrDefault("dir", "target/bench")).toAbsolutePath().resolve("lake-shuffle");
    String memory = a.getOrDefault("memory", "4GB");
    String name = "bench_" + UUID.randomUUID().toString().substring(0, 8);

    BatchBenchmark.deleteRecursively(dir);
    Files.createDirectories(dir.resolve("definitions"));
    Files.writeString(dir.resolve("definitions").resolve(name + ".yaml"), """
        name: %s
        keys: [user_id]
        sources:
          - events:
              parquet: %s
              schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: AVG, windows: [1h, 24h, 7d]}
        """.formatted(name, DATASET));
    // As many partitions at once as cores, as the service runs by default (tessera.batch.partitions=0); each request says
    // which read it wants, so the shuffle's setting does not matter.
    int cores = Runtime.getRuntime().availableProcessors();
    ConfigurableApplicationContext ctx = BatchBenchmark.service(dir, cores, memory);
    List<String> lines = new ArrayList<>();
    try {
      Warehouse w = ctx.getBean(Warehouse.class);
      long t0 = System.nanoTime();
      long from = BatchBenchmark.START.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      Path lake = w.lake().root().resolve(DATASET);
      Files.createDirectories(lake);
      // One COPY writes every (day, file) folder: ds=YYYY-MM-DD/part=<f>/data_0.parquet, the day folder the lake prunes by.
      BatchBenchmark.exec(w, "COPY (SELECT 'u' || CAST(hash(i * 2654435761) % " + keys + " AS VARCHAR) AS user_id,"
          + " round(CAST(hash(i * 40503) % 100000 AS DOUBLE) / 100.0, 2) AS amount,"
          + " CAST(" + from + " + hash(i * 7919) % " + (days * BatchBenchmark.DAY) + " AS BIGINT) AS ts,"
          + " CAST(epoch_ms(CAST(" + from + " + hash(i * 7919) % " + (days * BatchBenchmark.DAY) + " AS BIGINT)) AS DATE) AS ds,"
          + " CAST(hash(i) % " + files + " AS INTEGER) AS part FROM range(" + events + ") t(i))"
          + " TO '" + lake + "' (FORMAT PARQUET, PARTITION_BY (ds, part))");
      long fileCount;
      try (Stream<Path> s = Files.walk(lake)) {
        fileCount = s.filter(f -> f.toString().endsWith(".parquet")).count();
      }
      System.out.printf(Locale.ROOT, "wrote %,d events of %,d users as %d Parquet files (%d days x %d) in %.1f s%n", events, keys, fileCount,
          days, files, BatchBenchmark.secs(t0));

      LocalDate last = BatchBenchmark.START.plusDays(days - 1);
      Backfill backfill = new Backfill(ctx, name, last.minusDays(range - 1), last);
      backfill.run(counts[counts.length - 1], false, null); // warm-up: JIT, DuckDB's caches, the files in the page cache
      for (int p : counts) {
        // A round runs both reads back to back, so that they share the machine's load of the moment (it drifts), and
        // every other round the shuffle first, so that a load rising (or falling) all along favours neither.
        double[] scan = new double[rounds];
        double[] shuffle = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          if (r % 2 == 1) shuffle[r] = backfill.run(p, true, null);
          scan[r] = backfill.run(p, false, r == 0 ? "out_scan_" + p : null);
          if (r % 2 == 0) shuffle[r] = backfill.run(p, true, r == 0 ? "out_shuffle_" + p : null);
          ratio[r] = shuffle[r] / scan[r];
        }
        lines.add(String.format(Locale.ROOT, "%2d partition%s: per-partition scan %6.1f s, shuffle %6.1f s (medians), shuffle / scan"
            + " = %.2f (median of the rounds' ratios %s)", p, p == 1 ? " " : "s", median(scan), median(shuffle), median(ratio),
            Arrays.stream(ratio).mapToObj(x -> String.format(Locale.ROOT, "%.2f", x)).toList()));
      }
      String reference = "out_scan_" + counts[0];
      for (int p : counts) {
        for (String out : List.of("out_scan_" + p, "out_shuffle_" + p)) {
          long diff = BatchBenchmark.count(w, "SELECT count(*) FROM ((SELECT * FROM " + reference + " EXCEPT ALL SELECT * FROM " + out
              + ") UNION ALL (SELECT * FROM " + out + " EXCEPT ALL SELECT * FROM " + reference + ")) d");
          if (diff != 0) throw new IllegalStateException(out + " differs from " + reference + " in " + diff + " rows");
        }
      }
      lines.add("every output equals the first row for row (" + BatchBenchmark.count(w, "SELECT count(*) FROM " + reference) + " rows)");
    } finally {
      ctx.close();
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "lake shuffle benchmark: %,d events, %,d users, %d days x %d files, backfill of %d days, %d cores,"
        + " load average %.2f%n", events, keys, days, files, range, cores,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    lines.forEach(System.out::println);
    System.exit(0);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** One backfill of the range; its output kept as a table when {@code keep} names one. */
  private record Backfill(ConfigurableApplicationContext ctx, String name, LocalDate start, LocalDate end) {
    double run(int partitions, boolean shuffle, String keep) throws Exception {
      long t0 = System.nanoTime();
      JobExecution e = BatchBenchmark.run(ctx.getBean(JobSubmitter.class), ctx.getBean(JobRepository.class),
          ctx.getBean(BackfillRequests.class).launch(new BackfillRequest(name, start.toString(), end.toString(), null, partitions, null,
              null, null, shuffle)));
      double s = BatchBenchmark.secs(t0);
      double scatter = e.getStepExecutions().stream().filter(x -> x.getStepName().equals("backfill.scatter")).mapToDouble(Backfill::seconds).sum();
      double compute = e.getStepExecutions().stream().filter(x -> x.getStepName().equals("backfill.compute")).mapToDouble(Backfill::seconds).sum();
      System.out.printf(Locale.ROOT, "  %d partitions, %-7s %6.1f s (scatter %5.1f s, compute %5.1f s), %s rows%n", partitions,
          shuffle ? "shuffle" : "scan", s, scatter, compute, JobResults.get(e).get("rowsWritten"));
      if (keep != null) {
        Warehouse w = ctx.getBean(Warehouse.class);
        BatchBenchmark.exec(w, "DROP TABLE IF EXISTS " + keep);
        BatchBenchmark.exec(w, "CREATE TABLE " + keep + " AS SELECT * FROM " + name + "_v1_daily");
      }
      return s;
    }

    private static double seconds(StepExecution s) {
      return java.time.Duration.between(s.getStartTime(), s.getEndTime()).toMillis() / 1e3;
    }
  }
}
