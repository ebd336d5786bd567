package dev.tessera.batch.bench;

import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.join.JoinTrainingSetRequests;
import dev.tessera.batch.trainingset.TrainingSetRequest;
import dev.tessera.batch.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Join training set benchmark (docs/benchmarks.md): in one run, on one DuckDB file,
 *
 * <ol>
 *   <li>generates {@code events} purchases of {@code keys} users at {@code merchants} merchants over
 *       {@code days} days, and {@code left} checkouts (a buyer, a shop, an amount, a time) over the same days;
 *   <li>runs the Join training set job for a Join of three GroupBys keyed by the user (1h/1d/7d SUM and
 *       COUNT, 7d AVG), the merchant (1h/1d COUNT, 7d AVG) and the pair (30d SUM and COUNT), with a request
 *       field and a derivation ({@code amount_now / user_amount_avg_7d}): end to end through the real job;
 *   <li>computes the same table with DuckDB SQL on the same database (same memory limit and threads):
 *       per key, running sums and counts of the events (a window over the key ordered by time, peers
 *       included), and for each left row one ASOF join at its time and one at each window's start, the
 *       start slid to the window's hop as DESIGN.md says ({@code floor((t - W) / hop) * hop}): the
 *       same windows, exactly, so the two tables must agree;
 *   <li>compares both on a sample of rows (counts exactly, sums and averages within 1e-6 relative: the
 *       SQL subtracts running sums, which loses a few digits that Tessera's windows keep).
 * </ol>
 *
 * Arguments: {@code --events=N --left=N --keys=K --merchants=M --days=D --dir=path [--partitions=P]
 * [--memory=4GB] [--sample=10000]}.
 */
public final class JoinTrainingSetBenchmark {
  static final long HOUR = 3_600_000L;
  static final long DAY = 86_400_000L;

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BatchBenchmark.options(args);
    long events = Long.parseLong(a.getOrDefault("events", "10000000"));
    long left = Long.parseLong(a.getOrDefault("left", Long.toString(events)));
    int keys = Integer.parseInt(a.getOrDefault("keys", "100000"));
    int merchants = Integer.parseInt(a.getOrDefault("merchants", "2000"));
    int days = Integer.parseInt(a.getOrDefault("days", "30"));
    long sample = Long.parseLong(a.getOrDefault("sample", "10000"));
    Path dir = Path.of(a.getOrDefault("dir", "target/bench")).toAbsolutePath();
    int cores = Runtime.getRuntime().availableProcessors();
    int partitions = Integer.parseInt(a.getOrDefault("partitions", Integer.toString(cores)));
    String memory = a.getOrDefault("memory", "4GB");
    String join = "bench_join_" + UUID.randomUUID().toString().substring(0, 8);

    BatchBenchmark.deleteRecursively(dir);
    writeDefinitions(dir.resolve("definitions"), join);
    System.out.printf(Locale.ROOT, "tessera Join training set benchmark: %,d events, %,d left rows, %,d users, %,d merchants, %d days,"
        + " %d partitions, %d cores, DuckDB memory %s, JVM heap %d MB%n", events, left, keys, merchants, days, partitions, cores, memory,
        Runtime.getRuntime().maxMemory() >> 20);
    ConfigurableApplicationContext ctx = BatchBenchmark.service(dir, partitions, memory);
    try {
      Warehouse w = ctx.getBean(Warehouse.class);
      long t0 = System.nanoTime();
      generate(w, events, left, keys, merchants, days);
      System.out.printf(Locale.ROOT, "generated %,d events and %,d left rows in %.1f s%n", BatchBenchmark.count(w, "SELECT count(*) FROM bench_events"),
          BatchBenchmark.count(w, "SELECT count(*) FROM bench_left"), BatchBenchmark.secs(t0));

      t0 = System.nanoTime();
      long cpu0 = cpu();
      StepCpu steps = new StepCpu(ctx.getBean(JobRepository.class));
      JobExecution e;
      try {
        e = BatchBenchmark.run(ctx.getBean(JobSubmitter.class), ctx.getBean(JobRepository.class),
            ctx.getBean(JoinTrainingSetRequests.class).launch(new TrainingSetRequest(null, null, null, "bench_join_out", null, partitions,
                null, null, join, null, null, null, null, null)));
      } finally {
        steps.stop();
      }
      double tessera = BatchBenchmark.secs(t0);
      double tesseraCpu = (cpu() - cpu0) / 1e9;
      System.out.printf(Locale.ROOT, "tessera Join training set: %,d rows in %.1f s = %,.0f left rows/s, CPU %.1f s (result %s)%n",
          BatchBenchmark.count(w, "SELECT count(*) FROM bench_join_out"), tessera, left / tessera, tesseraCpu, JobResults.get(e).get("parts"));
      BatchBenchmark.printSteps(e);
      steps.print();

      t0 = System.nanoTime();
      cpu0 = cpu();
      BatchBenchmark.exec(w, sql());
      double duck = BatchBenchmark.secs(t0);
      double duckCpu = (cpu() - cpu0) / 1e9;
      System.out.printf(Locale.ROOT, "DuckDB SQL (running sums + ASOF joins at t and at each window start): %,d rows in %.1f s = %,.0f left rows/s,"
          + " CPU %.1f s%n", BatchBenchmark.count(w, "SELECT count(*) FROM bench_sql_out"), duck, left / duck, duckCpu);
      System.out.printf(Locale.ROOT, "ratio tessera / DuckDB = %.2f wall clock (target <= 1), %.2f CPU time%n", tessera / duck, tesseraCpu / duckCpu);
      compare(w, left, sample);
      System.out.println("(timings are wall clock on a shared machine: noisy)");
    } finally {
      ctx.close();
    }
  }

  /**
   * The process's CPU time by top-level step of the job (they run one after the other), sampled every
   * 250 ms: where the CPU went, which the wall clock of a shared machine does not say.
   */
  static final class StepCpu {
    private final java.util.Map<String, Long> byStep = new java.util.LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    StepCpu(JobRepository repository) {
      thread = Thread.ofPlatform().daemon().start(() -> {
        long last = cpu();
        while (running) {
          try {
            Thread.sleep(250);
          } catch (InterruptedException ex) {
            return;
          }
          long now = cpu();
          String step = "(starting)";
          var instances = repository.getJobInstances("join-training-set", 0, 1);
          if (!instances.isEmpty()) {
            JobExecution last1 = repository.getLastJobExecution(instances.getFirst());
            if (last1 != null) {
              step = last1.getStepExecutions().stream().filter(x -> !x.getStepName().contains(":") && x.getEndTime() == null)
                  .map(x -> x.getStepName()).findFirst().orElse("(between steps)");
            }
          }
          byStep.merge(step, now - last, Long::sum);
          last = now;
        }
      });
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    void print() {
      byStep.forEach((step, nanos) -> System.out.printf(Locale.ROOT, "    CPU %-38s %6.1f s%n", step, nanos / 1e9));
    }
  }

  /** CPU time of the whole process (JVM and DuckDB threads), in nanoseconds: less noisy than wall clock on a shared machine. */
  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static void generate(Warehouse w, long events, long left, int keys, int merchants, int days) throws Exception {
    long from = BatchBenchmark.START.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    // Users and merchants skewed a little (a square root of a uniform): some pairs recur, as real ones do.
    BatchBenchmark.exec(w, "CREATE TABLE bench_events AS SELECT 'u' || CAST(hash(i * 2654435761) % " + keys + " AS VARCHAR) AS user_id,"
        + " 'm' || CAST(CAST(floor(sqrt(CAST(hash(i * 40503 + 7) % 1000000 AS DOUBLE) / 1000000.0) * " + merchants + ") AS BIGINT) AS VARCHAR) AS merchant,"
        + " round(CAST(hash(i * 40503) % 100000 AS DOUBLE) / 100.0, 2) AS amount,"
        + " CAST(" + from + " + hash(i * 7919) % " + (days * DAY) + " AS BIGINT) AS ts FROM range(" + events + ") t(i)");
    BatchBenchmark.exec(w, "CREATE TABLE bench_left AS SELECT i AS row_id, 'u' || CAST(hash(i * 104729 + 3) % " + keys + " AS VARCHAR) AS buyer,"
        + " 'm' || CAST(CAST(floor(sqrt(CAST(hash(i * 7907 + 11) % 1000000 AS DOUBLE) / 1000000.0) * " + merchants + ") AS BIGINT) AS VARCHAR) AS shop,"
        + " round(CAST(hash(i * 6151) % 100000 AS DOUBLE) / 100.0, 2) AS amount_now,"
        + " CAST(" + from + " + hash(i * 5281 + 1) % " + (days * DAY) + " AS BIGINT) AS ts,"
        + " CAST(hash(i * 31) % 2 AS BIGINT) AS label FROM range(" + left + ") t(i)");
  }

  static void writeDefinitions(Path dir, String join) throws IOException {
    Files.createDirectories(dir);
    String source = """
        sources:
          - events:
              table: bench_events
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        """;
    Files.writeString(dir.resolve("bench_user.yaml"), "name: bench_user\nkeys: [user_id]\n" + source + """
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 1d, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 1d, 7d]}
          - {inputColumn: amount, operation: AVG, windows: [7d]}
        """);
    Files.writeString(dir.resolve("bench_merchant.yaml"), "name: bench_merchant\nkeys: [merchant]\n" + source + """
        aggregations:
          - {inputColumn: amount, operation: COUNT, windows: [1h, 1d]}
          - {inputColumn: amount, operation: AVG, windows: [7d]}
        """);
    Files.writeString(dir.resolve("bench_pair.yaml"), "name: bench_pair\nkeys: [user_id, merchant]\n" + source + """
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [30d]}
          - {inputColumn: amount, operation: COUNT, windows: [30d]}
        """);
    Files.writeString(dir.resolve(join + ".yaml"), """
        name: %s
        left:
          table: bench_left
          timeColumn: ts
          schema: {row_id: LONG, buyer: STRING, shop: STRING, amount_now: DOUBLE, ts: LONG, label: LONG}
        parts:
          - {groupBy: bench_user, keyMapping: {buyer: user_id}, prefix: user}
          - {groupBy: bench_merchant, keyMapping: {shop: merchant}, prefix: merchant}
          - {groupBy: bench_pair, keyMapping: {buyer: user_id, shop: merchant}, prefix: pair}
        request: [amount_now]
        derivations:
          - {name: amount_vs_avg, expression: "amount_now / user_amount_avg_7d"}
        """.formatted(join));
  }

  /** A window: its name, length and hop (DESIGN.md: 5 minutes under 12h, 1 hour under 12 days, else 1 day). */
  record W(String name, long millis) {
    long hop() {
      return millis < 12 * HOUR ? 300_000L : millis < 12 * DAY ? HOUR : DAY;
    }

    /** The window's start as of {@code t}, in SQL. */
    String start(String t) {
      return "(CAST(floor((" + t + " - " + millis + ") / " + hop() + ") AS BIGINT) * " + hop() + ")";
    }
  }

  static final W H1 = new W("1h", HOUR);
  static final W D1 = new W("1d", DAY);
  static final W D7 = new W("7d", 7 * DAY);
  static final W D30 = new W("30d", 30 * DAY);

  /**
   * The same output by SQL. Per key, the running sum and count of the events up to and including each
   * event's time (a RANGE frame includes the events of the same millisecond). A left row at t takes the
   * running values of its key's last event before t, minus those of the last event before each
   * window's start: the events in {@code [start, t)}.
   */
  static String sql() {
    StringBuilder s = new StringBuilder("CREATE TABLE bench_sql_out AS WITH ");
    s.append(running("u", "user_id")).append(", ").append(running("m", "merchant")).append(", ").append(running("p", "user_id, merchant"));
    s.append(", l AS (SELECT *, ").append(H1.start("ts")).append(" AS s1h, ").append(D1.start("ts")).append(" AS s1d, ")
        .append(D7.start("ts")).append(" AS s7d, ").append(D30.start("ts")).append(" AS s30d FROM bench_left), ");
    s.append("j AS (SELECT l.*");
    List<String> joins = new ArrayList<>();
    // user: at t, 1h, 1d, 7d; merchant: at t, 1h, 1d, 7d; pair: at t, 30d
    String[][] asof = {
        {"u", "ut", "ts", "l.buyer = ut.k1"}, {"u", "u1h", "s1h", "l.buyer = u1h.k1"}, {"u", "u1d", "s1d", "l.buyer = u1d.k1"},
        {"u", "u7d", "s7d", "l.buyer = u7d.k1"},
        {"m", "mt", "ts", "l.shop = mt.k1"}, {"m", "m1h", "s1h", "l.shop = m1h.k1"}, {"m", "m1d", "s1d", "l.shop = m1d.k1"},
        {"m", "m7d", "s7d", "l.shop = m7d.k1"},
        {"p", "pt", "ts", "l.buyer = pt.k1 AND l.shop = pt.k2"}, {"p", "p30d", "s30d", "l.buyer = p30d.k1 AND l.shop = p30d.k2"}};
    for (String[] j : asof) {
      s.append(", coalesce(").append(j[1]).append(".rs, 0) AS ").append(j[1]).append("_s, coalesce(").append(j[1]).append(".rc, 0) AS ")
          .append(j[1]).append("_c");
      joins.add(" ASOF LEFT JOIN " + j[0] + " " + j[1] + " ON " + j[3] + " AND l." + j[2] + " > " + j[1] + ".ts");
    }
    s.append(" FROM l").append(String.join("", joins)).append(") SELECT row_id, buyer, shop, amount_now, ts, label");
    for (String[] f : new String[][] {{"user", "u", "1h"}, {"user", "u", "1d"}, {"user", "u", "7d"}}) {
      s.append(", CASE WHEN ").append(count(f[1], f[2])).append(" > 0 THEN ").append(sum(f[1], f[2])).append(" END AS ")
          .append(f[0]).append("_amount_sum_").append(f[2]);
    }
    for (String w : List.of("1h", "1d", "7d")) s.append(", ").append(count("u", w)).append(" AS user_amount_count_").append(w);
    s.append(", CASE WHEN ").append(count("u", "7d")).append(" > 0 THEN ").append(sum("u", "7d")).append(" / ").append(count("u", "7d"))
        .append(" END AS user_amount_avg_7d");
    for (String w : List.of("1h", "1d")) s.append(", ").append(count("m", w)).append(" AS merchant_amount_count_").append(w);
    s.append(", CASE WHEN ").append(count("m", "7d")).append(" > 0 THEN ").append(sum("m", "7d")).append(" / ").append(count("m", "7d"))
        .append(" END AS merchant_amount_avg_7d");
    s.append(", CASE WHEN ").append(count("p", "30d")).append(" > 0 THEN ").append(sum("p", "30d")).append(" END AS pair_amount_sum_30d");
    s.append(", ").append(count("p", "30d")).append(" AS pair_amount_count_30d");
    s.append(", CASE WHEN ").append(count("u", "7d")).append(" > 0 AND isfinite(amount_now / (").append(sum("u", "7d")).append(" / ")
        .append(count("u", "7d")).append(")) THEN amount_now / (").append(sum("u", "7d")).append(" / ").append(count("u", "7d"))
        .append(") END AS amount_vs_avg FROM j");
    return s.toString();
  }

  private static String running(String name, String keys) {
    String[] k = keys.split(", ");
    return name + " AS (SELECT " + k[0] + " AS k1" + (k.length > 1 ? ", " + k[1] + " AS k2" : "") + ", ts,"
        + " sum(amount) OVER w AS rs, count(amount) OVER w AS rc FROM bench_events"
        + " WINDOW w AS (PARTITION BY " + keys + " ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))";
  }

  private static String sum(String p, String w) {
    return "(" + p + "t_s - " + p + w + "_s)";
  }

  private static String count(String p, String w) {
    return "(" + p + "t_c - " + p + w + "_c)";
  }

  /** Both outputs on a sample of row ids, column by column. */
  static void compare(Warehouse w, long left, long sample) throws Exception {
    long every = Math.max(1, left / sample);
    List<String> columns = new ArrayList<>();
    try (Connection c = w.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM bench_sql_out LIMIT 0")) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) columns.add(rs.getMetaData().getColumnName(i));
    }
    StringBuilder sql = new StringBuilder("SELECT count(*)");
    for (String col : columns) {
      boolean floating = col.contains("_sum_") || col.contains("_avg_") || col.equals("amount_vs_avg") || col.equals("amount_now");
      String same = floating
          ? "(t.%1$s IS NULL AND s.%1$s IS NULL) OR abs(t.%1$s - s.%1$s) <= 1e-6 * greatest(1, abs(s.%1$s))".formatted(col)
          : "t.%1$s IS NOT DISTINCT FROM s.%1$s".formatted(col);
      sql.append(", count(CASE WHEN NOT coalesce(").append(same).append(", false) THEN 1 END) AS ").append(col);
    }
    sql.append(" FROM bench_join_out t JOIN bench_sql_out s USING (row_id) WHERE row_id % ").append(every).append(" = 0");
    try (Connection c = w.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
      rs.next();
      long compared = rs.getLong(1);
      List<String> differ = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) if (rs.getLong(i + 2) > 0) differ.add(columns.get(i) + ": " + rs.getLong(i + 2));
      System.out.printf(Locale.ROOT, "compared %,d sampled rows (every %,d-th row id), %d columns: %s%n", compared, every, columns.size(),
          differ.isEmpty() ? "all agree" : "DIFFERENT " + differ);
      if (!differ.isEmpty()) throw new IllegalStateException("Tessera and DuckDB disagree: " + differ);
    }
  }
}
