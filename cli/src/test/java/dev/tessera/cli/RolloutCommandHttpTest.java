package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tessera rollout} against {@link RecordedService} standing in for the registry, with
 * answers written after the rollout contract of issue 19: requests, polling, output and exit codes.
 */
class RolloutCommandHttpTest {
  static final String PATH = "/api/v1/groupbys/fraud_features/rollout";

  /** A rollout view of fraud_features version 2; {@code steps} are (status, detail, jobId) of upload, catch-up, switch. */
  static String view(int live, String state, String error, String... steps) {
    String[] names = {"upload", "catch-up", "switch"};
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < steps.length; i += 3) {
      s.append(i == 0 ? "" : ", ").append("{\"step\": \"").append(names[i / 3]).append("\", \"status\": \"").append(steps[i])
          .append("\", \"detail\": ").append(quoted(steps[i + 1])).append(", \"jobId\": ").append(steps[i + 2]).append('}');
    }
    return "{\"name\": \"fraud_features\", \"liveVersion\": " + live + ", \"version\": 2, \"state\": \"" + state + "\", \"steps\": [" + s
        + "], \"error\": " + quoted(error) + ", \"startedAt\": \"2026-12-07T10:00:00Z\", \"updatedAt\": \"2026-12-07T10:00:05Z\"}";
  }

  private static String quoted(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  static final String PUBLISHED = view(1, "PUBLISHED", null, "PENDING", null, "null", "PENDING", null, "null", "PENDING", null, "null");
  static final String UPLOADING = view(1, "UPLOADING", null, "RUNNING", "upload of 2026-12-06 (batch job 17)", "17",
      "PENDING", null, "null", "PENDING", null, "null");
  static final String CATCHING_UP = view(1, "CATCHING_UP", null, "DONE", "upload of 2026-12-06 (batch job 17)", "17",
      "RUNNING", "stream job of v2: 1,204 events behind", "null", "PENDING", null, "null");
  static final String LIVE = view(2, "LIVE", null, "DONE", "upload of 2026-12-06 (batch job 17)", "17",
      "DONE", "stream job of v2 caught up", "null", "DONE", null, "null");
  static final String NOTHING_PENDING = "{\"name\": \"fraud_features\", \"liveVersion\": 2, \"version\": 2, \"state\": \"LIVE\", \"steps\": [],"
      + " \"error\": null, \"startedAt\": null, \"updatedAt\": null}";
  static final String NOTHING_TO_ROLL_OUT = """
      {"type": "https://tessera.dev/problems/nothing-to-roll-out", "title": "Nothing to roll out", "status": 409,
       "detail": "version 2 of fraud_features is live and the latest"}""";

  final RecordedService registry = new RecordedService();

  @AfterEach
  void stop() {
    registry.close();
  }

  /** Runs the CLI against the stand-in registry, polling every 10 ms. */
  CliRun run(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = "--poll-ms=10";
    return CliRun.against(registry.url(), all);
  }

  @Test
  void withoutWaitItStartsTheRolloutWithTheWriteCredentialPrintsItAndReturns() {
    registry.on("POST", PATH, 202, UPLOADING);
    CliRun r = run("rollout", "--conf=fraud_features", "--token=s3cret");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(registry.requests).hasSize(1);
    assertThat(registry.requests("POST", PATH).getFirst().authorization()).isEqualTo("Bearer s3cret");
    assertThat(r.out()).startsWith("rollout of fraud_features: version 2 UPLOADING (live: version 1), started 2026-12-07T10:00:00Z")
        .containsPattern("upload\\s+RUNNING\\s+upload of 2026-12-06 \\(batch job 17\\)\\s+17")
        .containsPattern("catch-up\\s+PENDING\\s+-\\s+-").containsPattern("switch\\s+PENDING");
    assertThat(r.err().strip()).isEqualTo("follow it with: tessera rollout --conf=fraud_features --wait");

    CliRun basic = run("rollout", "--conf=fraud_features", "--user=alice", "--password=pw");
    assertThat(basic.exit()).isZero();
    assertThat(registry.requests("POST", PATH).getLast().authorization()).isEqualTo("Basic YWxpY2U6cHc=");
  }

  @Test
  void waitFollowsTheRolloutThroughItsStepsUntilLive() {
    registry.on("POST", PATH, 202, PUBLISHED).on("GET", PATH, 200, PUBLISHED, UPLOADING, UPLOADING, CATCHING_UP, LIVE);
    CliRun r = run("rollout", "--conf=fraud_features", "--wait", "--token=s3cret");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(registry.requests("POST", PATH)).hasSize(1);
    assertThat(registry.requests("GET", PATH)).hasSize(5);
    // not a terminal: a plain line per change, the current step and its detail
    assertThat(r.err().lines().map(l -> l.replaceAll("  \\d+s$", "")).toList()).containsExactly(
        "rollout fraud_features v2 PUBLISHED  0/3 steps  upload PENDING",
        "rollout fraud_features v2 UPLOADING  0/3 steps  upload RUNNING: upload of 2026-12-06 (batch job 17)",
        "rollout fraud_features v2 CATCHING_UP  1/3 steps  catch-up RUNNING: stream job of v2: 1,204 events behind",
        "rollout fraud_features v2 LIVE  3/3 steps");
    assertThat(r.out()).startsWith("rollout of fraud_features: version 2 LIVE (live: version 2)")
        .containsPattern("switch\\s+DONE");
    assertThat(r.out().strip()).endsWith("version 2 of fraud_features is live");
  }

  @Test
  void aFailedRolloutIsExitCodeOneNamingTheStepAndTheError() {
    String failed = view(1, "FAILED", "stream job of v2 did not catch up within 30m", "DONE", "upload of 2026-12-06 (batch job 17)", "17",
        "FAILED", "stream job of v2: 90,000 events behind", "null", "PENDING", null, "null");
    registry.on("POST", PATH, 202, UPLOADING).on("GET", PATH, 200, UPLOADING, CATCHING_UP, failed);
    CliRun r = run("rollout", "--conf=fraud_features", "--wait");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("error: stream job of v2 did not catch up within 30m").containsPattern("catch-up\\s+FAILED");
    assertThat(r.err().lines().filter(l -> l.startsWith("error:")).toList()).containsExactly(
        "error: rollout of fraud_features version 2 FAILED at step catch-up (stream job of v2: 90,000 events behind):"
            + " stream job of v2 did not catch up within 30m; version 1 is still live");
  }

  @Test
  void aSupersededRolloutIsExitCodeOneSayingWhatToDo() {
    String superseded = view(1, "SUPERSEDED", null, "DONE", "upload of 2026-12-06 (batch job 17)", "17",
        "SKIPPED", null, "null", "SKIPPED", null, "null");
    registry.on("POST", PATH, 202, UPLOADING).on("GET", PATH, 200, superseded);
    CliRun r = run("rollout", "--conf=fraud_features", "--wait");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("error: the rollout of version 2 of fraud_features was superseded: a newer version was published"
        + " meanwhile (version 1 is still live); roll out the latest with: tessera rollout --conf=fraud_features");
  }

  @Test
  void nothingToRollOutWhenTheLatestVersionIsLiveIsExitCodeZero() {
    registry.on("POST", PATH, 409, NOTHING_TO_ROLL_OUT).on("GET", PATH, 200, NOTHING_PENDING);
    for (String[] args : java.util.List.of(new String[] {"rollout", "--conf=fraud_features"},
        new String[] {"rollout", "--conf=fraud_features", "--wait"})) {
      CliRun r = run(args);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().strip()).isEqualTo("version 2 of fraud_features is already live: nothing to roll out");
      assertThat(r.err()).isEmpty();
    }
    CliRun json = run("rollout", "--conf=fraud_features", "--json");
    assertThat(json.exit()).isZero();
    assertThat(Api.JSON.readTree(json.out()).path("liveVersion").asInt()).isEqualTo(2);
  }

  @Test
  void aConflictThatIsNotNothingToRollOutIsTheRegistrysError() {
    registry.on("POST", PATH, 409, NOTHING_TO_ROLL_OUT).on("GET", PATH, 200, UPLOADING);
    CliRun r = run("rollout", "--conf=fraud_features");
    assertThat(r.exit()).as("the view says a version is pending after all").isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("error: POST " + PATH + " -> 409 Nothing to roll out: version 2 of fraud_features is live and the latest");

    registry.on("POST", "/api/v1/groupbys/g/rollout", 409, "{\"type\": \"https://tessera.dev/problems/other\", \"title\": \"Conflict\"}");
    CliRun other = run("rollout", "--conf=g");
    assertThat(other.exit()).isEqualTo(1);
    assertThat(registry.requests("GET", "/api/v1/groupbys/g/rollout")).as("only nothing-to-roll-out asks for the view").isEmpty();
  }

  @Test
  void anUnknownGroupByOrARegistryThatIsDownIsOneLine() {
    registry.on("POST", "/api/v1/groupbys/nope/rollout", 404, """
        {"type": "https://tessera.dev/problems/groupby-not-found", "title": "GroupBy not found", "status": 404,
         "detail": "no GroupBy 'nope'"}""");
    CliRun unknown = run("rollout", "--conf=nope", "--wait");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err().strip()).isEqualTo("error: POST /api/v1/groupbys/nope/rollout -> 404 GroupBy not found: no GroupBy 'nope'");

    registry.close();
    CliRun down = run("rollout", "--conf=fraud_features");
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err().strip()).startsWith("error: cannot reach http://127.0.0.1:").contains("is the service running?");
  }

  @Test
  void jsonPrintsOnlyTheLastView() {
    registry.on("POST", PATH, 202, UPLOADING).on("GET", PATH, 200, CATCHING_UP, LIVE);
    CliRun r = run("rollout", "--conf=fraud_features", "--wait", "--json");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(Api.JSON.readTree(r.out()).path("state").asString()).isEqualTo("LIVE");
  }

  @Test
  void confIsAGroupByNameAsForTheJobCommands() {
    CliRun r = run("rollout", "--conf=defs/fraud_features.yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--conf must be a name");
    assertThat(registry.requests).isEmpty();
  }

  @Test
  void onATerminalTheLineHasABarOfTheSteps() {
    assertThat(ProgressLine.rollout(Api.JSON.readTree(CATCHING_UP), Duration.ofSeconds(5), true)).isEqualTo(
        "rollout fraud_features v2 CATCHING_UP  [########----------------] 1/3 steps  catch-up RUNNING: stream job of v2: 1,204 events behind  5s");
  }
}
