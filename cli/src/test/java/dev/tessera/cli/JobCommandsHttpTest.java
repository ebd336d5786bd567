package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job commands' HTTP handling against {@link RecordedService} (answers written after the
 * services' documented API): requests, polling, output and exit codes. Fast: polls every 10 ms.
 */
class JobCommandsHttpTest {
  static final String ACCEPTED = "{\"id\": 12, \"job\": \"backfill\", \"status\": \"STARTING\", \"href\": \"/api/v1/jobs/12\"}";
  static final String RUNNING = """
      {"id": 12, "job": "backfill", "status": "STARTED", "groupBy": "g", "version": 1,
       "progress": {"partitionsDone": 1, "partitionsTotal": 2, "rowsRead": 500}}""";
  static final String DONE = """
      {"id": 12, "job": "backfill", "status": "COMPLETED", "groupBy": "g", "version": 1, "target": "table:g_v1_daily",
       "progress": {"partitionsDone": 2, "partitionsTotal": 2, "rowsRead": 1000, "rowsAccepted": 1000, "entities": 10, "rowsWritten": 70},
       "rejections": {"total": 0, "reasons": {}, "samples": []}, "errors": [],
       "result": {"outputTable": "g_v1_daily", "rowsWritten": 70, "entities": 10}}""";

  final RecordedService service = new RecordedService();

  @AfterEach
  void stop() {
    service.close();
  }

  /** Runs the CLI against the recorded service (batch, stream and registry); waiting commands poll every 10 ms. */
  CliRun run(String... args) {
    return CliRun.against(service.url(), args);
  }

  @Test
  void backfillStartsTheJobFollowsItAndPrintsTheResult() {
    service.on("POST", "/api/v1/jobs/backfill", 202, ACCEPTED).on("GET", "/api/v1/jobs/12", 200, RUNNING, RUNNING, DONE);
    CliRun r = run("backfill", "--conf=g", "--start-date=2024-01-01", "--end-date=2024-01-31", "--poll-ms=10");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(service.requests("POST", "/api/v1/jobs/backfill").getFirst().body())
        .isEqualTo("{\"groupBy\":\"g\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-31\"}");
    assertThat(service.requests("GET", "/api/v1/jobs/12")).hasSizeGreaterThanOrEqualTo(3);
    // not a terminal: plain lines when something changes, on stderr
    assertThat(r.err()).contains("backfill 12 STARTED  1/2 partitions  500 rows read").contains("backfill 12 COMPLETED  2/2 partitions")
        .doesNotContain("\r").doesNotContain("[#");
    assertThat(r.err().lines().filter(l -> l.contains("STARTED")).count()).as("unchanged progress is not repeated").isEqualTo(1);
    assertThat(r.out()).startsWith("backfill 12 COMPLETED").containsPattern("outputTable\\s+g_v1_daily");
  }

  @Test
  void onATerminalOneLineIsRedrawnWithABar() {
    service.on("GET", "/api/v1/jobs/12", 200, RUNNING, DONE);
    java.io.StringWriter err = new java.io.StringWriter();
    var job = new JobWatcher(new Api(null, null, null), service.url() + "/api/v1/jobs/12", new java.io.PrintWriter(err), true, false,
        java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(5), () -> 0L).await();
    assertThat(job.path("status").asString()).isEqualTo("COMPLETED");
    assertThat(err.toString()).startsWith("\rbackfill 12 STARTED  [############------------] 1/2 partitions  500 rows read  0s")
        .contains("\rbackfill 12 COMPLETED  [########################] 2/2 partitions  1,000 rows read  10 entities  0s")
        .endsWith("\n");
    assertThat(err.toString().chars().filter(c -> c == '\n').count()).as("one line, redrawn").isEqualTo(1);
  }

  @Test
  void withoutATerminalAnUnchangedJobIsStillReportedPeriodically() {
    service.on("GET", "/api/v1/jobs/12", 200, RUNNING, RUNNING, RUNNING, DONE);
    java.io.StringWriter err = new java.io.StringWriter();
    long[] now = {0};
    new JobWatcher(new Api(null, null, null), service.url() + "/api/v1/jobs/12", new java.io.PrintWriter(err), false, false,
        java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(5), () -> now[0] += 3000).await();
    // started at 3 s, polled 3 s apart: the first line, one more once 5 s have passed, and the end
    assertThat(err.toString().lines().toList()).containsExactly(
        "backfill 12 STARTED  1/2 partitions  500 rows read  3s",
        "backfill 12 STARTED  1/2 partitions  500 rows read  9s",
        "backfill 12 COMPLETED  2/2 partitions  1,000 rows read  10 entities  12s");
  }

  @Test
  void jsonPrintsOnlyTheFinalJob() {
    service.on("POST", "/api/v1/jobs/backfill", 202, ACCEPTED).on("GET", "/api/v1/jobs/12", 200, RUNNING, DONE);
    CliRun r = run("backfill", "--conf=g", "--start-date=2024-01-01", "--end-date=2024-01-31", "--json", "--poll-ms=10");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(Api.JSON.readTree(r.out()).path("result").path("rowsWritten").asLong()).isEqualTo(70);
  }

  @Test
  void noWaitPrintsTheIdAtOnce() {
    service.on("POST", "/api/v1/jobs/upload", 202, "{\"id\": 31, \"job\": \"upload\", \"status\": \"STARTING\"}");
    CliRun r = run("upload", "--conf=g", "--date=2024-01-31", "--no-wait");
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).isEqualTo("31");
    assertThat(r.err()).contains("tessera jobs status 31");
    assertThat(service.requests).hasSize(1);
  }

  @Test
  void aFailedJobIsExitCodeOneWithTheReasonInOneLine() {
    service.on("POST", "/api/v1/jobs/training-set", 202, "{\"id\": 7, \"job\": \"training-set\", \"status\": \"STARTING\"}")
        .on("GET", "/api/v1/jobs/7", 200, """
            {"id": 7, "job": "training-set", "status": "FAILED", "progress": {"rowsRead": 100},
             "rejections": {"total": 40, "reasons": {"key 'user_id' is null": 40}}, "errors": []}""");
    CliRun r = run("training-set", "--conf=g", "--left-table=labels", "--time-column=ts", "--output-table=out", "--poll-ms=10");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().lines().filter(l -> l.startsWith("error:")).toList())
        .containsExactly("error: training-set 7 FAILED: 40 rejected rows of 100 read (key 'user_id' is null: 40)");
  }

  @Test
  void aRefusedRequestIsOneLineNamingTheFields() {
    service.on("POST", "/api/v1/jobs/backfill", 400, """
        {"type": "https://tessera.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
         "errors": [{"field": "startDate", "message": "no events before 2024-01-01"}]}""");
    CliRun r = run("backfill", "--conf=g", "--start-date=2024-01-01", "--end-date=2024-01-31", "--poll-ms=10");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("error: POST /api/v1/jobs/backfill -> 400 Invalid request [startDate: no events before 2024-01-01]");
  }

  @Test
  void consistencyWithUnexplainedMismatchesFails() {
    service.on("POST", "/api/v1/jobs/consistency", 202, "{\"id\": 21, \"job\": \"consistency\", \"status\": \"STARTING\"}")
        .on("GET", "/api/v1/jobs/21", 200, """
            {"id": 21, "job": "consistency", "status": "COMPLETED",
             "result": {"reportTable": "r", "unexplained": 2, "features": [{"feature": "f", "rowsCompared": 5, "mismatches": 2,
               "causes": {"UNEXPLAINED": 2}}]}}""");
    CliRun r = run("consistency", "--conf=g", "--start-date=2024-01-01", "--end-date=2024-01-02", "--poll-ms=10");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsPattern("f\\s+5\\s+2");
    assertThat(r.err()).contains("error: 2 unexplained mismatches in 1 feature");
  }

  static final String JOIN_DONE = """
      {"id": 22, "job": "consistency", "status": "COMPLETED", "parameters": {"join": "fraud_model", "joinVersion": 2},
       "result": {"join": "fraud_model", "joinVersion": 2, "reportTable": "fraud_model_join_consistency_daily", "unexplained": 1,
         "features": [
           {"feature": "buyer_amount_sum_1d", "part": "buyer", "rowsCompared": 40, "mismatches": 3, "mismatchRate": 0.075,
            "causes": {"LATE_EVENT": 3, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
           {"feature": "amount_vs_avg", "part": null, "rowsCompared": 40, "mismatches": 2, "mismatchRate": 0.05,
            "causes": {"LATE_EVENT": 1, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 1}}],
         "parts": [
           {"part": "buyer", "derived": false, "groupBy": "fraud_features", "rowsCompared": 40, "rowsFailed": 2, "valuesCompared": 40,
            "mismatches": 3, "causes": {"LATE_EVENT": 3, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 0}},
           {"part": null, "derived": true, "groupBy": null, "rowsCompared": 40, "rowsFailed": 0, "valuesCompared": 40,
            "mismatches": 2, "causes": {"LATE_EVENT": 1, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 1}}],
         "failureRows": 1}}""";

  @Test
  void consistencyOfAJoinAsksTheRegistryAndPrintsColumnsAndParts() {
    service.on("GET", "/api/v1/joins/fraud_model", 200, "{\"name\": \"fraud_model\", \"version\": 2, \"status\": \"LIVE\"}")
        .on("POST", "/api/v1/jobs/consistency", 202, "{\"id\": 22, \"job\": \"consistency\", \"status\": \"STARTING\"}")
        .on("GET", "/api/v1/jobs/22", 200, JOIN_DONE);
    CliRun r = run("consistency", "--conf=fraud_model", "--start-date=2024-01-01", "--end-date=2024-01-02", "--poll-ms=10");
    assertThat(service.requests("POST", "/api/v1/jobs/consistency").getFirst().body())
        .isEqualTo("{\"join\":\"fraud_model\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-02\"}");
    assertThat(r.exit()).as("an unexplained mismatch").isEqualTo(1);
    assertThat(r.err()).contains("error: 1 unexplained mismatch in 1 feature");
    assertThat(r.out()).containsPattern("buyer_amount_sum_1d\\s+40\\s+3").containsPattern("amount_vs_avg\\s+40\\s+2")
        .contains("mismatching rows: table fraud_model_join_consistency_daily")
        .containsPattern("buyer\\s+fraud_features\\s+40\\s+2\\s+40\\s+3\\s+3\\s+0\\s+0\\s+0")
        .containsPattern("\\(derived\\)\\s+-\\s+40\\s+-\\s+40\\s+2\\s+1\\s+0\\s+0\\s+1")
        .contains("1 rows whose every part failed were not compared");
  }

  @Test
  void consistencyOfAGroupByWhenTheRegistryHasNoJoinOfThatNameOrWithJoinWithoutAsking() {
    service.on("POST", "/api/v1/jobs/consistency", 202, "{\"id\": 21, \"job\": \"consistency\", \"status\": \"STARTING\"}")
        .on("GET", "/api/v1/jobs/21", 200, "{\"id\": 21, \"job\": \"consistency\", \"status\": \"COMPLETED\", \"result\": {\"unexplained\": 0}}");
    CliRun groupBy = run("consistency", "--conf=fraud_features", "--start-date=2024-01-01", "--end-date=2024-01-01", "--poll-ms=10");
    assertThat(groupBy.exit()).as(groupBy.err()).isZero();
    assertThat(service.requests("GET", "/api/v1/joins/fraud_features")).as("the registry was asked (404)").hasSize(1);
    assertThat(service.requests("POST", "/api/v1/jobs/consistency").getFirst().body()).startsWith("{\"groupBy\":\"fraud_features\",");
    assertThat(groupBy.err()).doesNotContain("warning");

    CliRun join = run("consistency", "--conf=fraud_model", "--join", "--start-date=2024-01-01", "--end-date=2024-01-01", "--poll-ms=10");
    assertThat(join.exit()).as(join.err()).isZero();
    assertThat(service.requests("GET", "/api/v1/joins/fraud_model")).as("--join: not asked").isEmpty();
    assertThat(service.requests("POST", "/api/v1/jobs/consistency").getLast().body()).startsWith("{\"join\":\"fraud_model\",");

    // A registry that answers an error: a GroupBy, said so.
    service.on("GET", "/api/v1/joins/flaky", 503, "{\"title\": \"Service Unavailable\"}");
    CliRun flaky = run("consistency", "--conf=flaky", "--start-date=2024-01-01", "--end-date=2024-01-01", "--poll-ms=10");
    assertThat(flaky.exit()).isZero();
    assertThat(flaky.err()).contains("warning: could not ask the registry whether 'flaky' is a Join").contains("give --join for a Join");
    assertThat(service.requests("POST", "/api/v1/jobs/consistency").getLast().body()).startsWith("{\"groupBy\":\"flaky\",");
  }

  @Test
  void jobsListStatusStopAndRestart() {
    service.on("GET", "/api/v1/jobs?limit=20", 200, "[{\"id\": 12, \"job\": \"backfill\", \"status\": \"COMPLETED\"}]")
        .on("GET", "/api/v1/jobs?limit=5&type=upload", 200, "[]")
        .on("GET", "/api/v1/jobs/12", 200, DONE)
        .on("POST", "/api/v1/jobs/12/stop", 202, "{\"id\": 12, \"job\": \"backfill\", \"status\": \"STOPPING\"}")
        .on("POST", "/api/v1/jobs/12/restart", 202, "{\"id\": 12, \"job\": \"backfill\", \"status\": \"STARTING\"}");
    assertThat(run("jobs").out()).containsPattern("12\\s+backfill\\s+COMPLETED");
    CliRun empty = run("jobs", "list", "--type=upload", "--limit=5");
    assertThat(empty.exit()).isZero();
    assertThat(empty.out()).contains("(no jobs)");
    assertThat(run("jobs", "status", "12").out()).startsWith("backfill 12 COMPLETED");
    CliRun stop = run("jobs", "stop", "12");
    assertThat(stop.exit()).isZero();
    assertThat(stop.out()).contains("stopping backfill 12 (STOPPING)");
    CliRun restart = run("jobs", "restart", "12", "--poll-ms=10");
    assertThat(restart.exit()).isZero();
    assertThat(restart.out()).startsWith("backfill 12 COMPLETED");
  }

  @Test
  void streamingJobsCreateShowAndStop() {
    String job = """
        {"groupBy": "fraud_features", "version": 3, "state": "RUNNING", "sourceTopics": ["purchases"],
         "lag": {"total": 4}, "events": {"in": 1243, "applied": 933, "filtered": 310, "late": 1,
         "deadLettered": {"late": 1, "malformed": 2, "error": 0}}, "tiles": {"written": 10}, "freshnessSeconds": 0.4}""";
    service.on("POST", "/api/v1/streaming-jobs", 201, job)
        .on("GET", "/api/v1/streaming-jobs/fraud_features", 200, job)
        .on("GET", "/api/v1/streaming-jobs", 200, "{\"jobs\": [" + job + "]}")
        .on("DELETE", "/api/v1/streaming-jobs/fraud_features", 200, "{\"groupBy\": \"fraud_features\", \"state\": \"STOPPED\"}");
    CliRun create = run("streaming-job", "--conf=fraud_features", "--mode=create");
    assertThat(create.exit()).isZero();
    assertThat(service.requests("POST", "/api/v1/streaming-jobs").getFirst().body())
        .isEqualTo("{\"groupBy\":\"fraud_features\",\"mode\":\"create\"}");
    assertThat(create.out()).containsPattern("state\\s+RUNNING").containsPattern("dead-lettered.*3 \\(1, 2, 0\\)")
        .contains("0.4 s");
    assertThat(run("streaming-job", "--mode=status").out())
        .containsPattern("fraud_features\\s+3\\s+RUNNING\\s+4\\s+1,243\\s+933\\s+1\\s+3 \\(1, 2, 0\\)\\s+0.4 s");
    assertThat(run("streaming-job", "--conf=fraud_features", "--mode=stop").out()).containsPattern("state\\s+STOPPED");
  }

  @Test
  void aFailedStreamingJobIsExitCodeOne() {
    service.on("GET", "/api/v1/streaming-jobs/g", 200, "{\"groupBy\": \"g\", \"state\": \"FAILED\", \"error\": \"Redis is down\"}");
    CliRun r = run("streaming-job", "--conf=g");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("error: 1 streaming job FAILED: Redis is down");
  }

  @Test
  void aServiceThatIsNotRunningIsOneLine() {
    service.close();
    CliRun r = run("jobs");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("error: cannot reach http://127.0.0.1:").contains("is the service running?");
  }
}
