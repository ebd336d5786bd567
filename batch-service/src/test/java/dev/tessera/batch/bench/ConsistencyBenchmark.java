package dev.tessera.batch.bench;

import static dev.tessera.batch.bench.BatchBenchmark.count;
import static dev.tessera.batch.bench.BatchBenchmark.exec;
import static dev.tessera.batch.bench.BatchBenchmark.printSteps;
import static dev.tessera.batch.bench.BatchBenchmark.run;
import static dev.tessera.batch.bench.BatchBenchmark.secs;

import dev.tessera.batch.consistency.ConsistencyRequest;
import dev.tessera.batch.consistency.ConsistencyRequests;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.trainingset.TrainingSetRequest;
import dev.tessera.batch.trainingset.TrainingSetRequests;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The consistency benchmark (README "Consistency"): {@code events} purchase events of {@code keys}
 * users over {@code days} days, and {@code fetches} logged fetches of those users over the last
 * {@code log-days} days. The served values are the point-in-time values (a training set over the
 * fetches' keys and times, turned into feature log rows in the fetcher's JSON), so the run checks the
 * normal case: everything matches. Reported: the training set over the same (keys, t) rows (the
 * point-in-time baseline of the same data) and the consistency job, in logged fetches per second,
 * and their ratio (target: consistency at least half the training set's throughput).
 *
 * <p>Arguments: {@code --events=N --keys=K --days=D --fetches=F --log-days=L --dir=path [--partitions=P] [--memory=4GB]}.
 */
public final class ConsistencyBenchmark {
  static final long DAY = 86_400_000L;
  static final LocalDate START = LocalDate.of(2024, 1, 1);

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BatchBenchmark.options(args);
    long events = Long.parseLong(a.getOrDefault("events", "10000000"));
    int keys = Integer.parseInt(a.getOrDefault("keys", "100000"));
    int days = Integer.parseInt(a.getOrDefault("days", "30"));
    long fetches = Long.parseLong(a.getOrDefault("fetches", "1000000"));
    int logDays = Integer.parseInt(a.getOrDefault("log-days", "7"));
    Path dir = Path.of(a.getOrDefault("dir", "target/bench-consistency")).toAbsolutePath();
    int cores = Runtime.getRuntime().availableProcessors();
    int partitions = Integer.parseInt(a.getOrDefault("partitions", Integer.toString(cores)));
    String memory = a.getOrDefault("memory", "4GB");
    String name = "bench_" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");

    BatchBenchmark.prepareDirectory(dir, name);
    System.out.printf(Locale.ROOT, "tessera consistency benchmark: %,d events, %,d keys, %d days, %,d logged fetches over the last %d days,"
        + " %d partitions, %d cores, DuckDB memory %s, JVM heap %d MB%n", events, keys, days, fetches, logDays, partitions, cores, memory,
        Runtime.getRuntime().maxMemory() >> 20);
    ConfigurableApplicationContext ctx = BatchBenchmark.service(dir, partitions, memory);
    try {
      Warehouse w = ctx.getBean(Warehouse.class);
      JobSubmitter jobs = ctx.getBean(JobSubmitter.class);
      JobRepository repository = ctx.getBean(JobRepository.class);
      long from = START.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      long logFrom = from + (long) (days - logDays) * DAY;
      long t0 = System.nanoTime();
      exec(w, "CREATE TABLE bench_events AS SELECT 'u' || CAST(hash(i * 2654435761) % " + keys + " AS VARCHAR) AS user_id,"
          + " round(CAST(hash(i * 40503) % 100000 AS DOUBLE) / 100.0, 2) AS amount,"
          + " CAST(" + from + " + hash(i * 7919) % " + (days * DAY) + " AS BIGINT) AS ts FROM range(" + events + ") t(i)");
      exec(w, "CREATE TABLE bench_fetches AS SELECT 'u' || CAST(hash(i * 97 + 13) % " + keys + " AS VARCHAR) AS user_id,"
          + " CAST(" + logFrom + " + hash(i * 104729 + 7) % " + ((long) logDays * DAY) + " AS BIGINT) AS t FROM range(" + fetches + ") f(i)");
      System.out.printf(Locale.ROOT, "generated %,d events and %,d fetches in %.1f s%n", count(w, "SELECT count(*) FROM bench_events"),
          count(w, "SELECT count(*) FROM bench_fetches"), secs(t0));

      // The point-in-time baseline over the same data: a training set whose left rows are the fetches.
      t0 = System.nanoTime();
      JobExecution pit = run(jobs, repository, ctx.getBean(TrainingSetRequests.class).launch(new TrainingSetRequest(name, "bench_fetches",
          "t", "bench_fetch_values", null, partitions, null, null)));
      double pitSeconds = secs(t0);
      System.out.printf(Locale.ROOT, "training set over the fetches (keys, t): %,d rows in %.1f s = %,.0f rows/s%n", fetches, pitSeconds,
          fetches / pitSeconds);
      printSteps(pit);

      // The feature log as the ingest lands it, with what the fetcher would have served (the same values, as JSON).
      t0 = System.nanoTime();
      StringBuilder features = new StringBuilder("json_object(");
      String[] names = {"amount_sum_1h", "amount_sum_24h", "amount_sum_7d", "amount_count_1h", "amount_count_24h", "amount_count_7d",
          "amount_avg_1h", "amount_avg_24h", "amount_avg_7d"};
      for (int i = 0; i < names.length; i++) features.append(i == 0 ? "" : ", ").append('\'').append(names[i]).append("', ").append(names[i]);
      features.append(")");
      exec(w, "CREATE TABLE tessera_feature_log AS SELECT '" + name + "' AS group_by, 1 AS version, t AS as_of,"
          + " CAST(json_object('user_id', user_id) AS VARCHAR) AS keys, CAST(" + features + " AS VARCHAR) AS features,"
          + " CAST(json_object('version', 1, 'asOf', t, 'stale', false) AS VARCHAR) AS meta, t + 3 AS logged_at,"
          + " CAST(NULL AS VARCHAR) AS request_id, 'tessera.feature-log' AS _topic, 0 AS _partition,"
          + " CAST(row_number() OVER () AS BIGINT) AS _offset FROM bench_fetch_values");
      System.out.printf(Locale.ROOT, "feature log of %,d rows written in %.1f s%n", count(w, "SELECT count(*) FROM tessera_feature_log"), secs(t0));

      LocalDate first = START.plusDays(days - logDays);
      LocalDate last = START.plusDays(days - 1);
      t0 = System.nanoTime();
      JobExecution c = run(jobs, repository, ctx.getBean(ConsistencyRequests.class).launch(new ConsistencyRequest(name, first.toString(),
          last.toString(), null, null, partitions, null, null)));
      double cSeconds = secs(t0);
      Map<String, Object> result = JobResults.get(c);
      System.out.printf(Locale.ROOT, "consistency job: %s logged fetches checked in %.1f s = %,.0f fetches/s (%,.0f feature values/s),"
          + " unexplained %s%n", result.get("fetchesChecked"), cSeconds, fetches / cSeconds, fetches * names.length / cSeconds,
          result.get("unexplained"));
      printSteps(c);
      long mismatches = 0;
      for (Object f : (Iterable<?>) result.get("features")) mismatches += ((Number) ((Map<?, ?>) f).get("mismatches")).longValue();
      System.out.printf(Locale.ROOT, "mismatches over every feature: %,d; bad rows: %s%n", mismatches, result.get("badRows"));
      System.out.printf(Locale.ROOT, "ratio consistency / training set throughput = %.2f (target >= 0.5)%n", pitSeconds / cSeconds);
      System.out.println("(timings are wall clock on a shared machine: noisy)");
    } finally {
      ctx.close();
    }
  }
}
