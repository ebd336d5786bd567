package dev.tessera.batch.bench;

import dev.tessera.batch.api.JobView;
import dev.tessera.batch.remote.RemoteBackfill;
import dev.tessera.batch.remote.WorkerGroup;
import dev.tessera.batch.remote.WorkerProcess;
import dev.tessera.support.kafka.KafkaClients;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.warehouse.Warehouse;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Remote partitioning (docs/benchmarks.md, README "Remote partitioning"): the same backfill of
 * {@code events} purchases over {@code keys} users (6 daily snapshots, the windowed GroupBy of the
 * tests), {@code partitions} partitions, timed from submit to the job's end:
 *
 * <ol>
 *   <li>in one process (standalone, a partition thread each);
 *   <li>on a manager with 2 worker processes, each running one partition at a time;
 *   <li>on the same manager with 1 worker process (the other stopped).
 * </ol>
 *
 * PostgreSQL (127.0.0.1:5432, database test, a schema of its own, dropped at the end) is both the job
 * repository and the warehouse; Kafka is an in-process broker. Each configuration runs twice, the
 * first a warm-up (JIT, caches); the second is reported. The machine's load average is printed.
 *
 * <p>Arguments: {@code --events=N --keys=K --dir=path [--partitions=4]} (others ignored).
 */
public final class RemotePartitionBenchmark {
  /** A worker JVM as the benchmark's own (the bench profile's flags): full JIT, a throughput collector. */
  private static final List<String> WORKER_JVM = List.of("-Xmx2g", "-XX:+UseParallelGC");

  private RemotePartitionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BatchBenchmark.options(args);
    int events = Integer.parseInt(a.getOrDefault("events", "1000000"));
    int keys = Integer.parseInt(a.getOrDefault("keys", "20000"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "4"));
    Path dir = Path.of(a.getOrDefault("dir", "target/bench")).resolve("remote-" + UUID.randomUUID());

    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperties(Map.of("log.retention.ms", "-1", "group.initial.rebalance.delay.ms", "0"));
    broker.afterPropertiesSet();
    RemoteBackfill backfill = new RemoteBackfill(broker.getBrokersAsString(), dir,
        List.of("--tessera.batch.partitions=" + partitions, "--tessera.batch.remote.concurrency=1",
            "--logging.level.root=WARN", "--logging.level.dev.tessera.batch=INFO"));
    List<String> lines = new ArrayList<>();
    try {
      double single;
      try (ConfigurableApplicationContext service = backfill.service("standalone")) {
        long t0 = System.nanoTime();
        RemoteBackfill.events(service.getBean(Warehouse.class), keys, events);
        System.out.printf(Locale.ROOT, "generated %d events of %d users in PostgreSQL in %.1f s%n", events, keys, seconds(t0));
        run(service, partitions);
        single = run(service, partitions);
        lines.add(line("one process, " + partitions + " partition threads", single, single, service));
      }
      CompletableFuture<WorkerProcess> f1 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("bench-worker-1", 0, WORKER_JVM, backfill.args).awaitUp());
      CompletableFuture<WorkerProcess> f2 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("bench-worker-2", 0, WORKER_JVM, backfill.args).awaitUp());
      WorkerProcess one = f1.join();
      WorkerProcess two = f2.join();
      try (WorkerGroup group = new WorkerGroup(KafkaClients.plaintext(broker.getBrokersAsString()), "tessera-batch-workers")) {
        while (group.live().size() < 2) Thread.sleep(200);
      }
      try (ConfigurableApplicationContext manager = backfill.service("manager")) {
        run(manager, partitions);
        double both = run(manager, partitions);
        lines.add(line("manager + 2 worker processes", both, single, manager));
        two.process().destroy(); // SIGTERM: the worker leaves the group at once
        two.process().waitFor();
        Thread.sleep(2000);
        double alone = run(manager, partitions);
        lines.add(line("manager + 1 worker process", alone, single, manager));
        lines.add(String.format(Locale.ROOT, "speed-up of 2 workers over 1: %.2fx", alone / both));
      } finally {
        one.kill();
        two.kill();
      }
    } finally {
      backfill.dropSchema();
      broker.destroy();
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "remote partitioning benchmark: %d events, %d users, %d partitions, %d cores, load average %.2f%n",
        events, keys, partitions, Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    lines.forEach(System.out::println);
    System.exit(0);
  }

  /** One backfill on a fresh output table; its seconds. */
  private static double run(ConfigurableApplicationContext service, int partitions) {
    Tables.execute(service.getBean(Warehouse.class), "DROP TABLE IF EXISTS " + RemoteBackfill.OUTPUT);
    long t0 = System.nanoTime();
    JobView v = RemoteBackfill.awaitEnd(service, RemoteBackfill.start(service, partitions), Duration.ofHours(2));
    double s = seconds(t0);
    if (!v.status().equals("COMPLETED")) throw new IllegalStateException("backfill " + v.id() + " ended " + v.status() + ": " + v.errors());
    System.out.printf(Locale.ROOT, "  backfill %d: %.1f s, %d rows, %d events read; partitions:", v.id(), s, v.progress().rowsWritten(),
        v.progress().rowsRead());
    for (JobView.PartitionView p : v.partitions()) {
      System.out.printf(Locale.ROOT, " p%d %.1f s%s", p.partition(), Duration.between(p.startedAt(), p.endedAt()).toMillis() / 1e3,
          p.worker() == null ? "" : " on " + p.worker());
    }
    System.out.println();
    return s;
  }

  private static String line(String what, double seconds, double single, ConfigurableApplicationContext service) {
    long rows = Tables.count(service.getBean(Warehouse.class), "SELECT count(*) FROM " + RemoteBackfill.OUTPUT);
    return String.format(Locale.ROOT, "%-40s %7.1f s  %.2fx the one-process time  (%d rows)", what, seconds, seconds / single, rows);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
