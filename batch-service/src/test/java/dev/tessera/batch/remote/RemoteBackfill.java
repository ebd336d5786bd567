package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.batch.BatchApplication;
import dev.tessera.batch.api.JobView;
import dev.tessera.batch.api.JobViews;
import dev.tessera.batch.backfill.BackfillRequest;
import dev.tessera.batch.backfill.BackfillRequests;
import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import dev.tessera.support.kafka.KafkaClients;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * What the remote partitioning test and benchmark share: one PostgreSQL schema as both the job
 * repository and the warehouse, a Kafka broker, a GroupBy from a definitions directory, and services
 * in this JVM (a single-process run, or a manager) or as worker processes, all on the same settings.
 */
public final class RemoteBackfill {
  public static final String EVENTS = "purchases";
  public static final String GROUP_BY = "remote_daily";
  public static final String OUTPUT = GROUP_BY + "_v1_daily";
  /**
   * Connection pools for tests that run several processes on the machine's PostgreSQL (100
   * connections, shared with other builds): Hikari opens a pool's maximum at start, 26 a process by
   * default. Enough for four partitions at a time (up to 3 warehouse connections each).
   */
  public static final List<String> SMALL_POOLS = List.of("--tessera.batch.warehouse.max-pool-size=12",
      "--spring.datasource.hikari.maximum-pool-size=6");
  /** A worker's settings: the run's, with {@link #SMALL_POOLS}. */
  public List<String> workerArgs() {
    List<String> a = new ArrayList<>(args);
    a.addAll(SMALL_POOLS);
    return a;
  }

  /** A manager's pools: it runs no partition. */
  public static final String[] MANAGER_POOLS = {"--tessera.batch.warehouse.max-pool-size=3", "--spring.datasource.hikari.maximum-pool-size=4"};
  private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  final String schema;
  private final Path definitions;
  /** The settings every process of the run gets ({@code --name=value}). */
  public final List<String> args;

  /**
   * @param settings further {@code --name=value} settings for every process (partitions, chunk size...)
   */
  public RemoteBackfill(String bootstrap, Path dir, List<String> settings) {
    this.schema = Postgres.newSchema("remote_");
    Postgres.execute("CREATE SCHEMA " + schema);
    this.definitions = dir.resolve("definitions");
    try {
      Files.createDirectories(definitions);
      Files.writeString(definitions.resolve(GROUP_BY + ".yaml"), BackfillSupport.windowedGroupBy(GROUP_BY, EVENTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = Postgres.URL + "?currentSchema=" + schema + "&reWriteBatchedInserts=true";
    List<String> a = new ArrayList<>(List.of(
        "--spring.datasource.url=" + url, "--spring.datasource.username=" + Postgres.USER, "--spring.datasource.password=",
        "--tessera.batch.warehouse.url=" + url, "--tessera.batch.warehouse.username=" + Postgres.USER,
        "--spring.kafka.bootstrap-servers=" + bootstrap,
        "--tessera.batch.definitions.source=directory", "--tessera.batch.definitions.directory=" + definitions.toAbsolutePath(),
        "--tessera.batch.data-dir=" + dir.resolve("data").toAbsolutePath(),
        "--management.health.redis.enabled=false",
        "--tessera.batch.remote.session-timeout=6s", "--tessera.batch.remote.poll-interval=500ms"));
    a.addAll(settings);
    this.args = List.copyOf(a);
  }

  /** Adds a definition file (a GroupBy or a Join) to the directory every process reads its definitions from. */
  public void define(String file, String content) {
    try {
      Files.writeString(definitions.resolve(file), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The service in this JVM, in {@code role} (standalone or manager), with {@code more} settings. */
  public ConfigurableApplicationContext service(String role, String... more) {
    List<String> a = new ArrayList<>(args);
    a.add("--server.port=0");
    a.add("--tessera.batch.remote.role=" + role);
    a.addAll(List.of(more));
    return new SpringApplicationBuilder(BatchApplication.class).run(a.toArray(String[]::new));
  }

  /** Generated purchases of {@code users} users over 12 days of January 2024 in the events table. */
  public static void events(Warehouse warehouse, int users, int events) {
    Tables.createPurchases(warehouse, EVENTS);
    Tables.insert(warehouse, EVENTS, List.of("user_id", "merchant", "amount", "qty", "currency", "ts"),
        new EventGenerator(41).purchases(users, events, BackfillSupport.JAN_1, BackfillSupport.JAN_1 + 12 * BackfillSupport.DAY));
  }

  /** Starts the backfill of Jan 5 to Jan 10 with {@code partitions} partitions; returns the job id. */
  public static long start(ConfigurableApplicationContext service, int partitions) {
    return service.getBean(JobSubmitter.class).submit(service.getBean(BackfillRequests.class)
        .launch(new BackfillRequest(GROUP_BY, "2024-01-05", "2024-01-10", null, partitions, null, null, null)));
  }

  /** Polls the job's view until {@code until} holds (or the timeout passes: then the last view). */
  public static JobView await(ConfigurableApplicationContext service, long id, Duration timeout, Predicate<JobView> until) {
    JobViews views = service.getBean(JobViews.class);
    long end = System.nanoTime() + timeout.toNanos();
    JobView v = views.view(id);
    while (!until.test(v) && System.nanoTime() < end) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      v = views.view(id);
    }
    return v;
  }

  public static JobView awaitEnd(ConfigurableApplicationContext service, long id, Duration timeout) {
    return await(service, id, timeout, v -> ENDED.contains(v.status()));
  }

  /**
   * The reference: the backfill of {@link #events} on threads of one process (role standalone), kept
   * in table {@code reference}; the output table is dropped for the remote runs to fill.
   */
  public void reference(int partitions) {
    try (ConfigurableApplicationContext single = service("standalone")) {
      Warehouse w = single.getBean(Warehouse.class);
      events(w, 120, 6000);
      JobView done = awaitEnd(single, start(single, partitions), Duration.ofMinutes(2));
      assertThat(done.status()).as("%s", done.errors()).isEqualTo("COMPLETED");
      Tables.execute(w, "CREATE TABLE reference AS SELECT * FROM " + OUTPUT);
      Tables.execute(w, "DROP TABLE " + OUTPUT);
    }
  }

  /** The output holds exactly the reference's rows: as many, no (key, day) twice, EXCEPT ALL empty both ways; returns how many. */
  public static long assertSameRows(Warehouse w) {
    long rows = Tables.count(w, "SELECT count(*) FROM reference");
    assertThat(rows).isPositive();
    assertThat(Tables.count(w, "SELECT count(*) FROM " + OUTPUT)).isEqualTo(rows);
    assertThat(Tables.count(w, "SELECT count(*) FROM (SELECT user_id, ds FROM " + OUTPUT + " GROUP BY user_id, ds HAVING count(*) > 1) d"))
        .as("no (key, day) twice").isZero();
    assertThat(Tables.count(w, "SELECT count(*) FROM (SELECT * FROM reference EXCEPT ALL SELECT * FROM " + OUTPUT + ") d"))
        .as("nothing missing").isZero();
    assertThat(Tables.count(w, "SELECT count(*) FROM (SELECT * FROM " + OUTPUT + " EXCEPT ALL SELECT * FROM reference) d"))
        .as("nothing extra or different").isZero();
    return rows;
  }

  /** A Kafka broker for the run, keeping every record (see BatchServiceIT), rebalancing new groups at once. */
  public static EmbeddedKafkaKraftBroker broker() {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperties(Map.of("log.retention.ms", "-1", "group.initial.rebalance.delay.ms", "0"));
    broker.afterPropertiesSet();
    return broker;
  }

  /** Waits until the worker group's members are {@code ids} (a worker up is not yet in the group). */
  public static void awaitMembers(String bootstrap, Set<String> ids) {
    try (WorkerGroup group = new WorkerGroup(KafkaClients.plaintext(bootstrap), "tessera-batch-workers")) {
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> group.live().equals(ids));
    }
  }

  public void dropSchema() {
    Postgres.dropSchema(schema);
  }
}
