package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.batch.api.JobView;
import dev.tessera.batch.backfill.BackfillRequest;
import dev.tessera.batch.backfill.BackfillRequests;
import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.shuffle.Shuffle;
import dev.tessera.batch.testing.LakeFiles;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A backfill of a Parquet source on remote workers (issue 24): the warehouse and job repository are PostgreSQL, the
 * lake a folder every process shares (10 day folders x 4 files), and the job goes through the lake shuffle. Each
 * process reads Parquet with an in-memory DuckDB of its own; outputs, checkpoints and the fence are PostgreSQL's.
 * Worker 1 is killed (SIGKILL) while it holds a keyed partition with committed chunks; the job completes on worker 2,
 * its output equals, row for row, the same backfill run in a single process, and that equals the backfill of the same
 * events from a PostgreSQL table. Each keyed partition read only the spill files of its own bucket.
 */
class RemoteLakeIT {
  static final int PARTITIONS = 4;
  static final String LAKE_GROUP_BY = "remote_lake";
  static final String LAKE_OUTPUT = LAKE_GROUP_BY + "_v1_daily";
  static final int DAYS = 10;
  static final int FILES_PER_DAY = 4;
  static EmbeddedKafkaKraftBroker broker;
  static RemoteBackfill backfill;
  static List<Map<String, Object>> events;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Postgres.reachable(), "PostgreSQL on 127.0.0.1:5432");
    broker = RemoteBackfill.broker();
    Path dir = Path.of("target", "it-data", "remote-lake-" + UUID.randomUUID());
    backfill = new RemoteBackfill(broker.getBrokersAsString(), dir,
        List.of("--tessera.batch.partitions=" + PARTITIONS, "--tessera.batch.chunk-entities=5", "--tessera.batch.remote.concurrency=1"));
    backfill.define(LAKE_GROUP_BY + ".yaml", BackfillSupport.windowedGroupBy(LAKE_GROUP_BY, RemoteBackfill.EVENTS)
        .replace("table: " + RemoteBackfill.EVENTS + "\n", "parquet: " + RemoteBackfill.EVENTS + "/ds=*/*.parquet\n"));
    events = new EventGenerator(43).purchases(120, 6000, BackfillSupport.JAN_1, BackfillSupport.JAN_1 + DAYS * BackfillSupport.DAY);
    // every process's lake: tessera.batch.lake-dir defaults to <data-dir>/lake, and they share the data dir
    LakeFiles.writePurchases(events, dir.resolve("data/lake").resolve(RemoteBackfill.EVENTS), dir, FILES_PER_DAY);
  }

  @AfterAll
  static void stop() {
    if (backfill != null) backfill.dropSchema();
    if (broker != null) broker.destroy();
  }

  private static long startLake(ConfigurableApplicationContext service) {
    return service.getBean(JobSubmitter.class).submit(service.getBean(BackfillRequests.class)
        .launch(new BackfillRequest(LAKE_GROUP_BY, "2024-01-05", "2024-01-10", null, PARTITIONS, null, null, null, true)));
  }

  /** Worker 1 runs a keyed partition and has committed a chunk or two of its five or six. */
  private static boolean holding(JobView.PartitionView p) {
    return "worker-1".equals(p.worker()) && p.status().equals("STARTED") && p.entities() > 0 && p.entities() <= 10;
  }

  @Test
  void aWorkerKilledMidPartitionLeavesALakeJobThatCompletesWithTheSingleProcessOutput() {
    try (ConfigurableApplicationContext single = backfill.service("standalone")) {
      Warehouse w = single.getBean(Warehouse.class);
      assertThat(w.dialect().name()).isEqualTo("postgresql");
      // The same events from a warehouse table: the Parquet path's output must not depend on where the events are.
      Tables.createPurchases(w, RemoteBackfill.EVENTS);
      Tables.insert(w, RemoteBackfill.EVENTS, List.of("user_id", "merchant", "amount", "qty", "currency", "ts"), events);
      JobView table = RemoteBackfill.awaitEnd(single, RemoteBackfill.start(single, PARTITIONS), Duration.ofMinutes(2));
      assertThat(table.status()).as("%s", table.errors()).isEqualTo("COMPLETED");
      JobView lake = RemoteBackfill.awaitEnd(single, startLake(single), Duration.ofMinutes(2));
      assertThat(lake.status()).as("%s", lake.errors()).isEqualTo("COMPLETED");
      assertThat(Tables.count(w, "SELECT count(*) FROM " + LAKE_OUTPUT)).isGreaterThan(300);
      assertThat(difference(w, RemoteBackfill.OUTPUT, LAKE_OUTPUT)).as("the lake's output equals the table's").isZero();
      Tables.execute(w, "CREATE TABLE reference AS SELECT * FROM " + LAKE_OUTPUT);
      Tables.execute(w, "DROP TABLE " + LAKE_OUTPUT);
    }

    CompletableFuture<WorkerProcess> w1 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-1", 400, WorkerProcess.TEST_JVM, backfill.workerArgs()).awaitUp());
    CompletableFuture<WorkerProcess> w2 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-2", 400, WorkerProcess.TEST_JVM, backfill.workerArgs()).awaitUp());
    WorkerProcess one = w1.join();
    WorkerProcess two = w2.join();
    RemoteBackfill.awaitMembers(broker.getBrokersAsString(), Set.of("worker-1", "worker-2"));
    try (ConfigurableApplicationContext manager = backfill.service("manager", RemoteBackfill.MANAGER_POOLS)) {
      long id = startLake(manager);
      JobView held = RemoteBackfill.await(manager, id, Duration.ofMinutes(2), v -> v.partitions().stream().anyMatch(RemoteLakeIT::holding));
      JobView.PartitionView victim = held.partitions().stream().filter(RemoteLakeIT::holding).findFirst()
          .orElseThrow(() -> new AssertionError("worker-1 never held a partition with a committed chunk: " + held.partitions()));
      one.kill();

      JobView done = RemoteBackfill.awaitEnd(manager, id, Duration.ofMinutes(2));
      assertThat(done.status()).as("%s", done.errors()).isEqualTo("COMPLETED");
      assertThat(done.partitions()).allSatisfy(p -> assertThat(p.status()).isEqualTo("COMPLETED"));
      assertThat(done.partitions().get(victim.partition()).worker()).as("the killed worker's partition ran to its end on the other")
          .isEqualTo("worker-2");

      Warehouse w = manager.getBean(Warehouse.class);
      assertThat(Tables.count(w, "SELECT count(*) FROM (SELECT user_id, ds FROM " + LAKE_OUTPUT + " GROUP BY user_id, ds HAVING count(*) > 1) d"))
          .as("no (key, day) twice").isZero();
      assertThat(difference(w, "reference", LAKE_OUTPUT)).as("the remote run's output equals the single process's").isZero();

      JobExecution run = lastExecution(manager.getBean(JobRepository.class), id);
      List<StepExecution> scatters = partitions(run, "backfill.scatter.partition:");
      assertThat(scatters).hasSize(PARTITIONS);
      List<String> dataset = w.lake().files(new ParquetDataset(RemoteBackfill.EVENTS)).stream()
          .map(f -> w.lake().root().relativize(f).toString()).toList();
      assertThat(dataset).as("day folders x %d files", FILES_PER_DAY).hasSizeGreaterThanOrEqualTo(DAYS * FILES_PER_DAY);
      assertThat(scatters.stream().flatMap(s -> lines(s.getExecutionContext().getString("tessera.shuffle.files.0")).stream()).toList())
          .as("each file of the dataset scattered once").containsExactlyInAnyOrderElementsOf(dataset);
      List<StepExecution> keyed = partitions(run, "backfill.compute.partition:");
      assertThat(keyed).hasSize(PARTITIONS);
      for (StepExecution s : keyed) {
        int bucket = s.getExecutionContext().getInt(KeyHashPartitioner.PARTITION);
        assertThat(lines(s.getExecutionContext().getString(Shuffle.READ_FILES + 0))).as("partition %d read its bucket's spill only", bucket)
            .isNotEmpty()
            .allMatch(f -> f.startsWith(".tessera-shuffle/job-" + run.getJobInstance().getInstanceId() + "/source-0/scatter-"))
            .allMatch(f -> f.contains("/__tessera_bucket=" + bucket + "/"));
      }
      assertThat(w.lake().root().resolve(".tessera-shuffle/job-" + id)).as("the spill folder is deleted when the job completes")
          .doesNotExist();
    } finally {
      one.kill();
      two.kill();
    }
  }

  /** Rows in one table and not the other, both ways: 0 when the two hold the same rows (as multisets). */
  private static long difference(Warehouse w, String a, String b) {
    return Tables.count(w, "SELECT count(*) FROM ((SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ") UNION ALL (SELECT * FROM "
        + b + " EXCEPT ALL SELECT * FROM " + a + ")) d");
  }

  private static JobExecution lastExecution(JobRepository repository, long id) {
    return repository.getJobExecutions(repository.getJobInstance(id)).stream().max(Comparator.comparing(JobExecution::getId)).orElseThrow();
  }

  private static List<StepExecution> partitions(JobExecution run, String prefix) {
    return run.getStepExecutions().stream().filter(s -> s.getStepName().startsWith(prefix))
        .sorted(Comparator.comparing(StepExecution::getStepName)).toList();
  }

  private static List<String> lines(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }
}
