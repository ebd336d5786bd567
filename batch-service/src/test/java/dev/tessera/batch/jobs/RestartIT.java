package dev.tessera.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.testing.TestFailures;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.JsonNode;

/**
 * A partitioned job that dies in one partition right after committing a chunk (before its
 * checkpoint is saved) and is restarted: only that partition runs again, from its last checkpoint,
 * and the output is exactly what a clean run writes: nothing lost, nothing twice.
 */
class RestartIT extends BackfillSupport {

  @Autowired
  JobRepository repository;
  @Autowired
  RedisConnectionFactory redis;

  @Test
  void aBackfillFailedMidwayAndRestartedWritesEveryRowOnce() {
    String table = unique("restart_events");
    String name = unique("restart_daily");
    List<Map<String, Object>> events = generate(table, 41, 70, 2500, JAN_1, JAN_1 + 12 * DAY);
    GroupBy g = parse(windowedGroupBy(name, table));
    publish(g, 1);

    failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(1, 3));
    long id = start("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-05\", \"endDate\": \"2024-01-10\"}");
    JsonNode failed = awaitJob(id);
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("partitions").get(0).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(failed.get("partitions").get(1).get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("partitions").get(1).get("error").asString()).contains("simulated crash at partition.chunk-committed");
    assertThat(failed.get("progress").get("partitionsDone").asInt()).isEqualTo(1);
    assertThat(failed.get("errors").toString()).contains("simulated crash");

    post("/api/v1/jobs/" + id + "/restart", "", 202);
    JsonNode done = awaitJob(id);
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    int rows = assertMatchesOracle(compile(g), events, name + "_v1_daily", LocalDate.of(2024, 1, 5), LocalDate.of(2024, 1, 10));
    assertThat(done.get("progress").get("rowsWritten").asLong()).isEqualTo(rows);

    // Only the failed partition ran again, and it resumed after its checkpoint.
    List<JobExecution> attempts = repository.getJobExecutions(repository.getJobInstance(id));
    JobExecution second = attempts.stream().max((a, b) -> Long.compare(a.getId(), b.getId())).orElseThrow();
    List<String> rerun = second.getStepExecutions().stream().map(StepExecution::getStepName).filter(n -> n.contains(":p")).toList();
    assertThat(rerun).containsExactly("backfill.compute.partition:p001");
    StepExecution resumed = second.getStepExecutions().stream().filter(s -> s.getStepName().endsWith(":p001")).findFirst().orElseThrow();
    assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    JsonNode partition1 = done.get("partitions").get(1);
    assertThat(resumed.getCommitCount()).as("chunks counted once over both attempts").isEqualTo(partition1Chunks(resumed));
    // Rows read are counted once although partition 1 re-read its lost chunk: the totals equal the events in range.
    // First snapshot at Jan 6 00:00; the longest window (qty 12d, hop 1 day) reaches back 12 days; the last ends Jan 11.
    long inRange = Tables.count(warehouse, "SELECT count(*) FROM " + table + " WHERE ts >= " + (JAN_1 + 5 * DAY - 12 * DAY)
        + " AND ts < " + (JAN_1 + 10 * DAY));
    assertThat(done.get("progress").get("rowsRead").asLong()).isEqualTo(inRange);
    assertThat(partition1.get("rowsRead").asLong()).isPositive();
  }

  /** The crashed-and-restarted training set holds exactly the rows of the clean run. */
  void assertSameAfterRestart(long id, String clean, String crashed, String left) {
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("FAILED");
    post("/api/v1/jobs/" + id + "/restart", "", 202);
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");
    String features = String.join(", ", List.of("amount_sum_1h", "amount_sum_1d", "amount_count_1h", "amount_avg_7d", "qty_sum_12d",
        "merchant_last_k_1d", "amount_sum_7d_by_merchant"));
    String diff = "SELECT count(*) FROM ((SELECT user_id, ts, amount, " + features + " FROM " + clean + " EXCEPT ALL SELECT user_id, ts, amount, "
        + features + " FROM " + crashed + ") UNION ALL (SELECT user_id, ts, amount, " + features + " FROM " + crashed
        + " EXCEPT ALL SELECT user_id, ts, amount, " + features + " FROM " + clean + ")) d";
    assertThat(Tables.count(warehouse, diff)).isZero();
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + crashed)).isEqualTo(Tables.count(warehouse, "SELECT count(*) FROM " + left));
    assertThat(Tables.count(warehouse, "SELECT count(amount_count_1h) FROM " + crashed)).as("features for every row").isEqualTo(
        Tables.count(warehouse, "SELECT count(*) FROM " + left + " WHERE user_id IS NOT NULL"));
  }

  private static long partition1Chunks(StepExecution s) {
    return PartitionCheckpoint.read(s.getExecutionContext(), 0).chunks();
  }

  @Test
  void aTrainingSetAndAnUploadFailedMidwayAndRestartedMatchCleanRuns() {
    String table = unique("restart_ts");
    String name = unique("restart_online");
    generate(table, 42, 60, 1500, JAN_1, JAN_1 + 8 * DAY);
    GroupBy g = parse(windowedGroupBy(name, table).replace("keys: [user_id]", "online: true\nkeys: [user_id]")
        .replace("table: " + table, "table: " + table + "\n      topic: " + table));
    publish(g, 1);

    // Labels in a table of their own (the general path: left rows and events read apart), and the events themselves as left
    // rows (the path that reads each row once): both crash in a partition and restart.
    String labels = unique("labels");
    Tables.execute(warehouse, "CREATE TABLE " + labels + " AS SELECT user_id, ts + 1 AS ts, amount, qty > 2 AS label FROM " + table);
    for (String left : List.of(labels, table)) {
      String clean = unique("clean_training");
      runToCompletion("/api/v1/jobs/training-set", """
          {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s"}""".formatted(name, left, clean));
      String crashed = unique("crashed_training");
      failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(0, 2));
      long id = start("/api/v1/jobs/training-set", """
          {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s"}""".formatted(name, left, crashed));
      assertSameAfterRestart(id, clean, crashed, left);
    }


    failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(1, 2));
    long upload = start("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-01-06\"}");
    assertThat(awaitJob(upload).get("status").asString()).isEqualTo("FAILED");
    String marker = RedisKeys.uploadKey(name, 1);
    try (RedisConnection c = redis.getConnection()) {
      assertThat(c.stringCommands().get(marker.getBytes(StandardCharsets.UTF_8))).as("no marker before every key is written").isNull();
      post("/api/v1/jobs/" + upload + "/restart", "", 202);
      JsonNode done = awaitJob(upload);
      assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(new String(c.stringCommands().get(marker.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
          .isEqualTo(Long.toString(JAN_1 + 6 * DAY));
      long b = JAN_1 + 6 * DAY;
      assertThat(done.get("result").get("keysWritten").asLong())
          .isEqualTo(Tables.count(warehouse, "SELECT count(DISTINCT user_id) FROM " + table + " WHERE currency = 'USD' AND ts < " + b));
      c.keyCommands().del(marker.getBytes(StandardCharsets.UTF_8));
      for (int u = 0; u < 60; u++) c.keyCommands().del(RedisKeys.batchKey(name, 1, List.of("u" + u)).getBytes(StandardCharsets.UTF_8));
    }
  }
}
