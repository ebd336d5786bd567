package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JobReportTest {
  static final String COMPLETED = """
      {"id": 12, "job": "backfill", "status": "COMPLETED", "exitCode": "COMPLETED", "groupBy": "fraud_features", "version": 3,
       "target": "table:fraud_features_v3_daily", "parameters": {"startDate": "2026-03-01"},
       "createdAt": "2026-03-08T10:00:00", "startedAt": "2026-03-08T10:00:00.5", "endedAt": "2026-03-08T10:01:02.7",
       "progress": {"partitionsDone": 2, "partitionsTotal": 2, "rowsRead": 1254311, "rowsAccepted": 1180002,
                    "rowsFiltered": 74300, "rowsRejected": 9, "rowsOutOfRange": 0, "entities": 40211, "rowsWritten": 281477},
       "partitions": [],
       "rejections": {"total": 9, "reasons": {"key 'user_id' is null": 7, "column 'amount': expected DOUBLE, got a string": 2},
                      "samples": [{"reason": "key 'user_id' is null", "row": "{user_id=null, amount=12.5}"}]},
       "errors": [], "result": {"outputTable": "fraud_features_v3_daily", "rowsWritten": 281477, "entities": 40211},
       "attempts": [{"executionId": 33, "status": "COMPLETED"}]}""";

  static String print(JsonNode job) {
    StringWriter s = new StringWriter();
    JobReport.print(new PrintWriter(s), job);
    return s.toString();
  }

  @Test
  void aCompletedJobShowsItsCountsResultAndRejections() {
    JsonNode job = Api.JSON.readTree(COMPLETED);
    assertThat(JobReport.succeeded(job)).isTrue();
    String text = print(job);
    assertThat(text.lines().findFirst().orElseThrow())
        .isEqualTo("backfill 12 COMPLETED in 1m 02s: fraud_features v3 -> table:fraud_features_v3_daily");
    assertThat(text).contains("read 1,254,311  accepted 1,180,002  filtered 74,300  rejected 9  entities 40,211  written 281,477  partitions 2/2");
    assertThat(text).containsPattern("outputTable\\s+fraud_features_v3_daily").containsPattern("rowsWritten\\s+281,477");
    assertThat(text).containsPattern("key 'user_id' is null\\s+7").contains("e.g. {user_id=null, amount=12.5}");
    assertThat(text).doesNotContain("errors:");
  }

  @Test
  void aFailedJobSaysWhyInOneLine() {
    JsonNode byError = Api.JSON.readTree("""
        {"id": 7, "job": "training-set", "status": "FAILED", "errors": ["compute: source table 'labels' does not exist", "finish: skipped"]}""");
    assertThat(JobReport.succeeded(byError)).isFalse();
    assertThat(JobReport.failureReason(byError))
        .isEqualTo("training-set 7 FAILED: compute: source table 'labels' does not exist (+1 more)");
    assertThat(print(byError)).contains("errors:\n  compute: source table 'labels' does not exist");

    JsonNode byRejections = Api.JSON.readTree("""
        {"id": 8, "job": "backfill", "status": "FAILED", "errors": [], "progress": {"rowsRead": 100},
         "rejections": {"total": 9, "reasons": {"key 'user_id' is null": 7, "bad time": 2}}}""");
    assertThat(JobReport.failureReason(byRejections))
        .isEqualTo("backfill 8 FAILED: 9 rejected rows of 100 read (key 'user_id' is null: 7; bad time: 2)");

    JsonNode byAttempt = Api.JSON.readTree("""
        {"id": 9, "job": "upload", "status": "STOPPED", "attempts": [{"executionId": 1, "status": "STOPPED", "exitMessage": "stopped by request"}]}""");
    assertThat(JobReport.failureReason(byAttempt)).isEqualTo("upload 9 STOPPED: stopped by request");
  }

  @Test
  void thePartitionsOwnErrorComesBeforeSpringBatchsWrapperAndClassNamesAreCut() {
    JsonNode job = Api.JSON.readTree("""
        {"id": 5, "job": "backfill", "status": "FAILED", "errors": [
          "backfill.compute: org.springframework.batch.core.job.JobExecutionException: Partition handler returned an unsuccessful step",
          "backfill.compute.partition:p001: dev.tessera.batch.jobs.TooManyRejectionsException: partition 1/2 rejected 1 rows"]}""");
    assertThat(JobReport.failureReason(job))
        .isEqualTo("backfill 5 FAILED: backfill.compute.partition:p001: partition 1/2 rejected 1 rows (+1 more)");
  }

  @Test
  void aContinuousIngestStoppedOnPurposeSucceeded() {
    JsonNode job = Api.JSON.readTree("""
        {"id": 3, "job": "ingest", "status": "STOPPED", "parameters": {"mode": "continuous"}, "errors": []}""");
    assertThat(JobReport.succeeded(job)).isTrue();
    assertThat(JobReport.succeeded(Api.JSON.readTree("{\"id\": 3, \"job\": \"ingest\", \"status\": \"STOPPED\"}"))).isFalse();
  }

  @Test
  void missingFieldsAreSkippedNotErrors() {
    String text = print(Api.JSON.readTree("{\"status\": \"COMPLETED\"}"));
    assertThat(text.strip()).isEqualTo("job ? COMPLETED");
    assertThat(JobReport.failureReason(Api.JSON.readTree("{}"))).isEqualTo("job ? UNKNOWN");
  }

  @Test
  void consistencyResultIsATablePerFeatureAndUnexplainedMismatchesFail() {
    JsonNode job = Api.JSON.readTree("""
        {"id": 21, "job": "consistency", "status": "COMPLETED", "groupBy": "fraud_features", "version": 3,
         "result": {"reportTable": "fraud_features_v3_consistency_21", "unexplained": 3, "features": [
           {"feature": "amount_sum_1h", "rowsCompared": 10000, "mismatches": 12, "mismatchRate": 0.0012, "smape": 0.00031, "maxAbsDiff": 45.5,
            "causes": {"LATE_EVENT": 9, "STALE_BATCH": 0, "VERSION_MISMATCH": 0, "UNEXPLAINED": 3}},
           {"feature": "amount_count_24h", "rowsCompared": 10000, "mismatches": 0, "mismatchRate": 0, "smape": null, "maxAbsDiff": null,
            "causes": {}},
           {"feature": "only_a_name"}]}}""");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ConsistencyReport.finish(job, new PrintWriter(out), new PrintWriter(err));
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .containsPattern("amount_sum_1h\\s+10,000\\s+12\\s+0.12%\\s+3.100e-04\\s+45.5\\s+9\\s+0\\s+0\\s+3")
        .containsPattern("amount_count_24h\\s+10,000\\s+0\\s+0.00%\\s+-\\s+-\\s+-\\s+-\\s+-\\s+-")
        .containsPattern("only_a_name(\\s+-){9}")
        .contains("mismatching rows: table fraud_features_v3_consistency_21");
    assertThat(err.toString().strip()).isEqualTo(
        "error: 3 unexplained mismatches in 1 feature: online and offline values disagree for no known reason");
    assertThat(err.toString().lines().count()).isEqualTo(1);

    JsonNode clean = Api.JSON.readTree("""
        {"id": 22, "job": "consistency", "status": "COMPLETED", "result": {"features": [{"feature": "f", "causes": {"LATE_EVENT": 2}}]}}""");
    assertThat(ConsistencyReport.finish(clean, new PrintWriter(new StringWriter()), new PrintWriter(err))).isZero();
  }

  @Test
  void consistencyTableShowsEveryReportedCauseAndTheFreshnessDelays() {
    JsonNode result = Api.JSON.readTree("""
        {"features": [{"feature": "amount_sum_1h", "rowsCompared": 100, "mismatches": 7,
          "causes": {"VERSION_MISMATCH": 0, "LATE_EVENT": 1, "ARRIVED_AFTER_FETCH": 5, "AT_MILLIS_IN_TILE": 1, "STREAM_BEHIND": 0,
                     "STALE_BATCH": 0, "UNEXPLAINED": 0},
          "freshnessDelays": {"<=1s": 4, "<=10s": 0, "<=1h": 1}}]}""");
    StringWriter out = new StringWriter();
    ConsistencyReport.table(result).print(new PrintWriter(out));
    assertThat(out.toString()).contains("arrived after fetch").contains("at millis in tile").contains("freshness delays")
        .containsPattern("amount_sum_1h\\s+100\\s+7\\s+-\\s+-\\s+-\\s+0\\s+1\\s+5\\s+1\\s+0\\s+0\\s+0\\s+<=1s:4 <=1h:1");
  }

  @Test
  void jobListIsATable() {
    JsonNode jobs = Api.JSON.readTree("""
        [{"id": 12, "job": "backfill", "status": "COMPLETED", "groupBy": "g", "target": "table:g_v1_daily",
          "createdAt": "2026-03-01T10:15:30.123456", "endedAt": null},
         {"id": 11, "job": "ingest", "status": "FAILED"}]""");
    StringWriter s = new StringWriter();
    JobsCommand.ListJobs.table(jobs).print(new PrintWriter(s));
    assertThat(s.toString()).containsPattern("12\\s+backfill\\s+COMPLETED\\s+g\\s+table:g_v1_daily\\s+2026-03-01 10:15:30\\s+-")
        .containsPattern("11\\s+ingest\\s+FAILED\\s+-\\s+-\\s+-\\s+-");
  }

  @Test
  void problemDetailsOfTheBatchServiceNameEveryField() {
    JsonNode body = Api.JSON.readTree("""
        {"type": "https://tessera.dev/problems/invalid-request", "title": "Invalid request", "status": 400, "detail": "2 problems",
         "errors": [{"field": "startDate", "message": "must be yyyy-MM-dd"}, {"field": "groupBy", "message": "is required"}]}""");
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://h/api/v1/jobs/backfill")).POST(
        java.net.http.HttpRequest.BodyPublishers.noBody()).build();
    assertThat(Api.describe(request, 400, body, null)).isEqualTo(
        "POST /api/v1/jobs/backfill -> 400 Invalid request: 2 problems [startDate: must be yyyy-MM-dd; groupBy: is required]");
    JsonNode conflict = Api.JSON.readTree("{\"title\": \"Job conflict\", \"detail\": \"writes the same table\", \"runningJobId\": 4}");
    assertThat(Api.describe(request, 409, conflict, null)).endsWith("409 Job conflict: writes the same table (running job 4)");
  }
}
