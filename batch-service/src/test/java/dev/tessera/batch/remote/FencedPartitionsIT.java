package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.api.JobView;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The partition fence across real processes (two worker JVMs, PostgreSQL job repository and
 * warehouse, a Kafka broker), with every chunk held before its warehouse commit, so a paused holder
 * resumes with a chunk to commit:
 *
 * <ul>
 *   <li>a worker frozen (SIGSTOP) while it holds partitions loses its group membership; the other
 *       takes them over; thawed (SIGCONT), the frozen worker's chunk is refused by the fence, its step
 *       stops saying so, and the output equals the single-process run;
 *   <li>a job that timed out at its manager while the workers still run its partitions is restarted
 *       at once: the restart's partitions take new epochs, every old holder's next chunk is refused
 *       (its step execution FAILED naming the fence), and the output equals the single-process run.
 * </ul>
 */
class FencedPartitionsIT {
  static final int PARTITIONS = 4;
  /**
   * How long each chunk is held before its commit: long beside the few hundred milliseconds a restart
   * takes to run its partitions, so an old holder is most likely still holding its chunk when the
   * restart's execution of its slice takes the next epoch.
   */
  static final long HOLD_MILLIS = 3000;
  static final String FENCED = "stopped by its partition fence";
  /** JVM flags of the workers: chunks held before their commit ({@link SlowWorkerApplication}). */
  static final List<String> JVM = jvm();
  static EmbeddedKafkaKraftBroker broker;
  static RemoteBackfill backfill;
  static WorkerProcess one;
  static WorkerProcess two;

  static List<String> jvm() {
    List<String> flags = new ArrayList<>(WorkerProcess.TEST_JVM);
    flags.add("-Dtessera.test.chunk-delay-at=committing");
    return List.copyOf(flags);
  }

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Postgres.reachable(), "PostgreSQL on 127.0.0.1:5432");
    broker = RemoteBackfill.broker();
    // four partitions at a time per worker: a restart's partitions run beside the old ones still running
    backfill = new RemoteBackfill(broker.getBrokersAsString(), Path.of("target", "it-data", "fenced-" + UUID.randomUUID()),
        List.of("--tessera.batch.partitions=" + PARTITIONS, "--tessera.batch.chunk-entities=5", "--tessera.batch.remote.concurrency=4"));
    backfill.reference(PARTITIONS);
    CompletableFuture<WorkerProcess> w1 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-1", HOLD_MILLIS, JVM, backfill.workerArgs()).awaitUp());
    CompletableFuture<WorkerProcess> w2 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-2", HOLD_MILLIS, JVM, backfill.workerArgs()).awaitUp());
    one = w1.join();
    two = w2.join();
    RemoteBackfill.awaitMembers(broker.getBrokersAsString(), Set.of("worker-1", "worker-2"));
  }

  /** A manager, with small pools: two of them and two workers share the machine's PostgreSQL. */
  static ConfigurableApplicationContext manager(String... more) {
    List<String> a = new ArrayList<>(List.of(RemoteBackfill.MANAGER_POOLS));
    a.addAll(List.of(more));
    return backfill.service("manager", a.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    if (one != null) one.kill();
    if (two != null) two.kill();
    if (backfill != null) backfill.dropSchema();
    if (broker != null) broker.destroy();
  }

  /** How many partition executions the fence has stopped on the workers so far (their logs). */
  private static long fenced() {
    return java.util.stream.Stream.of(one, two).mapToLong(p -> p.logText().split(FENCED, -1).length - 1).sum();
  }

  private static void clearOutput(Warehouse w) {
    Tables.execute(w, "DROP TABLE IF EXISTS " + RemoteBackfill.OUTPUT);
  }

  @Test
  void aFrozenWorkerThawedAfterItsPartitionWasTakenOverWritesNothing() {
    try (ConfigurableApplicationContext manager = manager()) {
      Warehouse w = manager.getBean(Warehouse.class);
      clearOutput(w);
      long id = RemoteBackfill.start(manager, PARTITIONS);
      JobView held = RemoteBackfill.await(manager, id, Duration.ofMinutes(2), v -> v.partitions().stream()
          .anyMatch(p -> "worker-1".equals(p.worker()) && p.status().equals("STARTED") && p.entities() > 0 && p.entities() <= 10));
      JobView.PartitionView victim = held.partitions().stream()
          .filter(p -> "worker-1".equals(p.worker()) && p.status().equals("STARTED") && p.entities() > 0).findFirst()
          .orElseThrow(() -> new AssertionError("worker-1 never held a partition with a committed chunk: " + held.partitions()));
      one.freeze();
      try {
        JobView takenOver = RemoteBackfill.await(manager, id, Duration.ofMinutes(1),
            v -> "worker-2".equals(v.partitions().get(victim.partition()).worker()));
        assertThat(takenOver.partitions().get(victim.partition()).worker()).as("taken over while worker-1 is frozen").isEqualTo("worker-2");
      } finally {
        one.thaw();
      }
      JobView done = RemoteBackfill.awaitEnd(manager, id, Duration.ofMinutes(2));
      assertThat(done.status()).as("%s", done.errors()).isEqualTo("COMPLETED");
      assertThat(done.partitions()).allSatisfy(p -> assertThat(p.status()).isEqualTo("COMPLETED"));
      assertThat(done.partitions().get(victim.partition()).worker()).isEqualTo("worker-2");
      long rows = RemoteBackfill.assertSameRows(w);
      assertThat(done.progress().rowsWritten()).isEqualTo(rows);
      // the thawed worker went on with the chunk it held, and the fence refused it
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> one.logText().contains(FENCED));
      assertThat(one.logText()).contains("partition fence: " + victim.step() + ".partition:");
    }
  }

  @Test
  void aRestartWhileTheOldHoldersStillRunRefusesTheirWrites() {
    // the manager that restarts is up first (a manager marks the jobs running at its start as failed)
    try (ConfigurableApplicationContext restarter = manager();
        ConfigurableApplicationContext impatient = manager("--tessera.batch.remote.timeout=2s",
            "--tessera.batch.recover-on-startup=false")) {
      Warehouse w = restarter.getBean(Warehouse.class);
      clearOutput(w);
      long fencedBefore = fenced();
      long id = RemoteBackfill.start(impatient, PARTITIONS);
      JobView timedOut = RemoteBackfill.awaitEnd(impatient, id, Duration.ofMinutes(1));
      assertThat(timedOut.status()).isEqualTo("FAILED");
      assertThat(timedOut.errors().toString()).contains("tessera.batch.remote.timeout");
      assertThat(timedOut.partitions()).as("the workers still run them").anyMatch(p -> p.status().equals("STARTED"));

      restarter.getBean(JobSubmitter.class).restart(id);
      JobView done = RemoteBackfill.awaitEnd(restarter, id, Duration.ofMinutes(2));
      assertThat(done.status()).as("%s", done.errors()).isEqualTo("COMPLETED");
      RemoteBackfill.assertSameRows(w);
      assertThat(Tables.count(w, "SELECT count(*) FROM batch_step_execution WHERE exit_message LIKE '%superseded by a restart%'"))
          .as("the restart ended the partitions still running").isPositive();
      assertThat(Tables.count(w, "SELECT min(epoch) FROM " + dev.tessera.batch.warehouse.PartitionFence.TABLE + " WHERE job_instance = " + id))
          .as("each slice held twice at least: the old execution, then the restart's").isGreaterThanOrEqualTo(2);
      // the old holders went on with the chunks they held, and the fence refused them
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fenced() > fencedBefore);
      RemoteBackfill.assertSameRows(w);
    }
  }
}
