package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.api.JobView;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
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
 * Remote partitioning across real processes: a manager in this JVM, two worker JVMs, a PostgreSQL
 * job repository and warehouse, a Kafka broker. Worker 1 is killed (SIGKILL) while it holds a
 * partition with committed chunks (and, by the workers' chunk delay, most likely a chunk committed
 * past its checkpoint); the job completes on worker 2 and its output equals, row for row, the same
 * backfill run in a single process. Then worker 2 is killed too: the next job fails, saying that no
 * worker is alive, instead of waiting for ever; with a new worker up, it restarts and completes
 * with the same output.
 */
class RemotePartitionsIT {
  static final int PARTITIONS = 4;
  static EmbeddedKafkaKraftBroker broker;
  static RemoteBackfill backfill;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Postgres.reachable(), "PostgreSQL on 127.0.0.1:5432");
    broker = RemoteBackfill.broker();
    backfill = new RemoteBackfill(broker.getBrokersAsString(), Path.of("target", "it-data", "remote-" + UUID.randomUUID()),
        List.of("--tessera.batch.partitions=" + PARTITIONS, "--tessera.batch.chunk-entities=5", "--tessera.batch.remote.concurrency=1"));
  }

  @AfterAll
  static void stop() {
    if (backfill != null) backfill.dropSchema();
    if (broker != null) broker.destroy();
  }

  /** Worker 1 runs it and has committed a chunk or two of its five or six (so most of it is still to do when the kill lands). */
  private static boolean holding(JobView.PartitionView p) {
    return "worker-1".equals(p.worker()) && p.status().equals("STARTED") && p.entities() > 0 && p.entities() <= 10;
  }

  @Test
  void aWorkerKilledMidPartitionLeavesAJobThatCompletesOnTheOtherWithTheSingleProcessOutput() {
    // The reference: the same backfill on threads of one process.
    backfill.reference(PARTITIONS);

    CompletableFuture<WorkerProcess> w1 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-1", 400, WorkerProcess.TEST_JVM, backfill.workerArgs()).awaitUp());
    CompletableFuture<WorkerProcess> w2 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-2", 400, WorkerProcess.TEST_JVM, backfill.workerArgs()).awaitUp());
    WorkerProcess one = w1.join();
    WorkerProcess two = w2.join();
    WorkerProcess three = null;
    assertThat(two.health()).as("a worker's health has its intake").contains("\"worker\":{\"status\":\"UP\"");
    // up is not yet in the group: a job sent before both joined could all go to the first one
    RemoteBackfill.awaitMembers(broker.getBrokersAsString(), Set.of("worker-1", "worker-2"));
    try (ConfigurableApplicationContext manager = backfill.service("manager", "--tessera.batch.remote.no-worker-timeout=4s")) {
      long id = RemoteBackfill.start(manager, PARTITIONS);
      JobView held = RemoteBackfill.await(manager, id, Duration.ofMinutes(2),
          v -> v.partitions().stream().anyMatch(RemotePartitionsIT::holding));
      JobView.PartitionView victim = held.partitions().stream().filter(RemotePartitionsIT::holding).findFirst()
          .orElseThrow(() -> new AssertionError("worker-1 never held a partition with a committed chunk: " + held.partitions()));
      one.kill();

      JobView done = RemoteBackfill.awaitEnd(manager, id, Duration.ofMinutes(2));
      assertThat(done.status()).as("%s", done.errors()).isEqualTo("COMPLETED");
      assertThat(done.partitions()).allSatisfy(p -> assertThat(p.status()).isEqualTo("COMPLETED"));
      JobView.PartitionView takenOver = done.partitions().get(victim.partition());
      assertThat(takenOver.worker()).as("the killed worker's partition ran to its end on the other").isEqualTo("worker-2");
      assertThat(takenOver.entities()).as("entities counted once over both holders").isGreaterThanOrEqualTo(victim.entities());

      Warehouse w = manager.getBean(Warehouse.class);
      long rows = RemoteBackfill.assertSameRows(w);
      assertThat(done.progress().rowsWritten()).isEqualTo(rows);

      two.kill();
      JobView orphan = RemoteBackfill.awaitEnd(manager, RemoteBackfill.start(manager, PARTITIONS), Duration.ofMinutes(1));
      assertThat(orphan.status()).isEqualTo("FAILED");
      assertThat(orphan.errors().toString()).contains("no batch worker");
      assertThat(orphan.partitions()).noneMatch(p -> p.status().startsWith("START"));

      // Once a worker runs again, the failed job restarts and completes with the same output; the stale
      // requests of its failed attempt are not run beside the new ones.
      three = WorkerProcess.start("worker-3", 0, WorkerProcess.TEST_JVM, backfill.workerArgs()).awaitUp();
      RemoteBackfill.awaitMembers(broker.getBrokersAsString(), Set.of("worker-3"));
      manager.getBean(JobSubmitter.class).restart(orphan.id());
      JobView restarted = RemoteBackfill.awaitEnd(manager, orphan.id(), Duration.ofMinutes(2));
      assertThat(restarted.status()).as("%s", restarted.errors()).isEqualTo("COMPLETED");
      assertThat(restarted.partitions()).allSatisfy(p -> assertThat(p.worker()).isEqualTo("worker-3"));
      RemoteBackfill.assertSameRows(w);
    } finally {
      one.kill();
      two.kill();
      if (three != null) three.kill();
    }
  }
}
