package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.testkit.Json;
import dev.tessera.batch.api.JobView;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.join.JoinTrainingSetRequests;
import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.trainingset.TrainingSetRequest;
import dev.tessera.batch.trainingset.TrainingSetRequests;
import dev.tessera.batch.upload.UploadRequest;
import dev.tessera.batch.upload.UploadRequests;
import dev.tessera.batch.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * The jobs besides the backfill on remote workers: a GroupBy training set, a Join training set
 * (the Join reference vectors' GroupBys, events and left rows; its compute and derive steps are both
 * partitioned) and an upload of a GroupBy's batch IRs to Redis run on two worker JVMs, and their
 * outputs equal the same jobs run in a single process on the same data (tables row for row, Redis
 * key for key and byte for byte; PostgreSQL job repository and warehouse, a Kafka broker, the
 * machine's Redis).
 */
class RemoteJobsIT {
  static final int PARTITIONS = 4;
  static final String VECTORS = "/vectors/join_fraud_model.json";
  static final int REDIS_DB = 11;
  /** The upload's keys in the single-process run. */
  static Map<String, String> singleUpload;
  static EmbeddedKafkaKraftBroker broker;
  static RemoteBackfill remote;
  static String join;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Postgres.reachable(), "PostgreSQL on 127.0.0.1:5432");
    broker = RemoteBackfill.broker();
    remote = new RemoteBackfill(broker.getBrokersAsString(), Path.of("target", "it-data", "remote-jobs-" + UUID.randomUUID()),
        List.of("--tessera.batch.partitions=" + PARTITIONS, "--tessera.batch.chunk-entities=20", "--tessera.batch.remote.concurrency=2",
            // a Redis database of its own: other tests clean the keys of the vectors' GroupBys in database 0
            "--spring.data.redis.database=" + REDIS_DB));
    JsonNode root;
    try (InputStream in = RemoteJobsIT.class.getResourceAsStream(VECTORS)) {
      root = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode g : root.get("groupBys").values()) remote.define(g.get("name").asString() + ".json", g.toString());
    remote.define("join.json", root.get("join").toString());
    join = root.get("join").get("name").asString();
    try (ConfigurableApplicationContext single = remote.service("standalone")) {
      Warehouse w = single.getBean(Warehouse.class);
      Tables.createPurchases(w, "purchases");
      List<Map<String, Object>> events = new ArrayList<>();
      root.get("events").get("purchases").values().forEach(e -> events.add(Json.toMap(e)));
      Tables.insert(w, "purchases", List.of("user_id", "merchant", "amount", "qty", "currency", "ts"), events);
      Tables.execute(w, "CREATE TABLE checkouts (row_id BIGINT, buyer VARCHAR, shop VARCHAR, amount_now DOUBLE PRECISION, channel VARCHAR,"
          + " ts BIGINT, label BIGINT)");
      List<String> columns = List.of("row_id", "buyer", "shop", "amount_now", "channel", "ts", "label");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (JsonNode r : root.get("left").values()) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (String c : columns) row.put(c, Json.toJava(r.get(c)));
        rows.add(row);
      }
      Tables.insert(w, "checkouts", columns, rows);
      // the GroupBy training set's left rows: the buyers of the checkouts, keyed as vec_user is
      Tables.execute(w, "CREATE TABLE user_times AS SELECT row_id, buyer AS user_id, ts FROM checkouts");
      run(single, groupByTrainingSet(single, "single_groupby_ts"));
      run(single, joinTrainingSet(single, "single_join_ts"));
      clearUpload(single);
      run(single, upload(single));
      singleUpload = uploaded(single);
      clearUpload(single);
    }
  }

  @AfterAll
  static void stop() {
    if (remote != null) remote.dropSchema();
    if (broker != null) broker.destroy();
  }

  static long groupByTrainingSet(ConfigurableApplicationContext service, String out) {
    return service.getBean(JobSubmitter.class).submit(service.getBean(TrainingSetRequests.class)
        .launch(new TrainingSetRequest("vec_user", "user_times", "ts", out, null, PARTITIONS, null, null)));
  }

  static long joinTrainingSet(ConfigurableApplicationContext service, String out) {
    return service.getBean(JobSubmitter.class).submit(service.getBean(JoinTrainingSetRequests.class)
        .launch(new TrainingSetRequest(null, null, null, out, null, PARTITIONS, null, null, join, null, null, null, null, null)));
  }

  static long upload(ConfigurableApplicationContext service) {
    return service.getBean(JobSubmitter.class).submit(service.getBean(UploadRequests.class)
        .launch(new UploadRequest("vec_user", "2024-01-20", true, PARTITIONS, null, null, null)));
  }

  /** Every key of vec_user version 1 (batch IRs and the upload's marker) with its value, in hex. */
  static Map<String, String> uploaded(ConfigurableApplicationContext service) {
    Map<String, String> values = new TreeMap<>();
    try (RedisConnection c = service.getBean(RedisConnectionFactory.class).getConnection()) {
      for (String pattern : List.of(RedisKeys.versionPattern("vec_user", 1), RedisKeys.uploadKey("vec_user", 1))) {
        try (Cursor<byte[]> keys = c.keyCommands().scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
          while (keys.hasNext()) {
            byte[] k = keys.next();
            values.put(new String(k, StandardCharsets.UTF_8), HexFormat.of().formatHex(c.stringCommands().get(k)));
          }
        }
      }
    }
    return values;
  }

  static void clearUpload(ConfigurableApplicationContext service) {
    try (RedisConnection c = service.getBean(RedisConnectionFactory.class).getConnection()) {
      for (String k : uploaded(service).keySet()) c.keyCommands().del(k.getBytes(StandardCharsets.UTF_8));
    }
  }

  static JobView run(ConfigurableApplicationContext service, long id) {
    JobView done = RemoteBackfill.awaitEnd(service, id, Duration.ofMinutes(3));
    assertThat(done.status()).as("%s", done.errors()).isEqualTo("COMPLETED");
    return done;
  }

  /** {@code out} holds exactly {@code reference}'s rows: as many, EXCEPT ALL empty both ways. */
  static void assertSameRows(Warehouse w, String reference, String out) {
    long rows = Tables.count(w, "SELECT count(*) FROM " + reference);
    assertThat(rows).isPositive();
    assertThat(Tables.count(w, "SELECT count(*) FROM " + out)).isEqualTo(rows);
    assertThat(Tables.count(w, "SELECT count(*) FROM (SELECT * FROM " + reference + " EXCEPT ALL SELECT * FROM " + out + ") d"))
        .as("nothing missing").isZero();
    assertThat(Tables.count(w, "SELECT count(*) FROM (SELECT * FROM " + out + " EXCEPT ALL SELECT * FROM " + reference + ") d"))
        .as("nothing extra or different").isZero();
  }

  @Test
  void aGroupByTrainingSetAndAJoinTrainingSetOnTwoWorkersEqualTheSingleProcessRuns() {
    CompletableFuture<WorkerProcess> w1 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-1", 0, WorkerProcess.TEST_JVM, remote.workerArgs()).awaitUp());
    CompletableFuture<WorkerProcess> w2 = CompletableFuture.supplyAsync(() -> WorkerProcess.start("worker-2", 0, WorkerProcess.TEST_JVM, remote.workerArgs()).awaitUp());
    WorkerProcess one = w1.join();
    WorkerProcess two = w2.join();
    try (ConfigurableApplicationContext manager = remote.service("manager", RemoteBackfill.MANAGER_POOLS)) {
      RemoteBackfill.awaitMembers(broker.getBrokersAsString(), Set.of("worker-1", "worker-2"));
      Warehouse w = manager.getBean(Warehouse.class);

      JobView groupBy = run(manager, groupByTrainingSet(manager, "remote_groupby_ts"));
      assertThat(groupBy.partitions()).allSatisfy(p -> assertThat(p.worker()).isIn("worker-1", "worker-2"));
      assertSameRows(w, "single_groupby_ts", "remote_groupby_ts");

      JobView joined = run(manager, joinTrainingSet(manager, "remote_join_ts"));
      assertThat(joined.partitions()).allSatisfy(p -> assertThat(p.worker()).isIn("worker-1", "worker-2"));
      assertSameRows(w, "single_join_ts", "remote_join_ts");

      JobView uploaded = run(manager, upload(manager));
      assertThat(uploaded.partitions()).allSatisfy(p -> assertThat(p.worker()).isIn("worker-1", "worker-2"));
      assertThat(singleUpload).isNotEmpty();
      assertThat(uploaded(manager)).as("the same keys with the same bytes").isEqualTo(singleUpload);
      clearUpload(manager);
    } finally {
      one.kill();
      two.kill();
    }
  }
}
