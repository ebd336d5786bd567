package dev.tessera.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/groupbys/{name}/rollout}: starts the rollout of a GroupBy's pending version
 * (the registry runs it: upload of the last complete day, the stream job catching up, the switch),
 * prints it, and with --wait follows {@code GET} of the same path until it has ended.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Roll out the pending version of a GroupBy: serve it once its data is complete.",
        "A newly published version is pending: the registry keeps serving the live version, uploads the last complete",
        "day of the new one, waits for the stream service's job of it to catch up, then switches it live.",
        "This starts that rollout (running it again while it runs is harmless: the same rollout) and prints its steps."},
    footer = {"", "Examples:",
        "  tessera rollout --conf=fraud_features            # start it and print the steps",
        "  tessera rollout --conf=fraud_features --wait     # follow it until the new version is live",
        "  tessera rollout --conf=fraud_features --wait --json",
        "", "Exit codes: 0 started (with --wait: live; also when the latest version is live already),",
        "1 the rollout failed or was superseded by a newer version, or refused, 2 bad usage."})
final class RolloutCommand implements Callable<Integer> {
  /** The states a rollout ends in. */
  static final Set<String> ENDED = Set.of("LIVE", "FAILED", "SUPERSEDED");

  @Option(names = "--conf", required = true, paramLabel = "GROUPBY", description = "GroupBy name")
  String groupBy;

  @Option(names = "--wait", description = "follow the rollout with progress until the version is live, or the rollout failed or was superseded")
  boolean await;

  @Mixin
  Polling polling;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Args.name(spec, "--conf", groupBy);
    String name = groupBy.trim();
    String url = endpoints.registry + "/api/v1/groupbys/" + Definitions.encode(name) + "/rollout";
    Api api = endpoints.api();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode started;
    try {
      started = api.postJson(url, "{}");
    } catch (ApiException e) {
      if (e.status() == 409 && e.isProblem("nothing-to-roll-out")) return nothingToRollOut(api.get(url), e, out);
      throw e;
    }
    if (!await) {
      print(started, out);
      if (!endpoints.json && !ENDED.contains(state(started))) {
        err.println("follow it with: tessera rollout --conf=" + name + " --wait");
        err.flush();
      }
      return 0;
    }
    JsonNode view = polling.watcher(spec, endpoints, url, subject(name)).await();
    print(view, out);
    String version = view.path("version").asString("?");
    String live = view.path("liveVersion").asString("?");
    switch (state(view)) {
      case "LIVE" -> {
        if (!endpoints.json) out.println("version " + version + " of " + name + " is live");
        out.flush();
        return 0;
      }
      case "FAILED" -> err.println("error: " + failure(view) + "; version " + live + " is still live");
      default -> err.println("error: the rollout of version " + version + " of " + name + " was superseded: a newer version was"
          + " published meanwhile (version " + live + " is still live); roll out the latest with: tessera rollout --conf=" + name);
    }
    err.flush();
    return 1;
  }

  /** The registry's 409: fine when the latest version is the live one (what the user wanted), the error otherwise. */
  private int nothingToRollOut(JsonNode view, ApiException refused, PrintWriter out) {
    boolean latestIsLive = "LIVE".equals(state(view)) && view.hasNonNull("version")
        && view.get("version").asString().equals(view.path("liveVersion").asString(null));
    if (!latestIsLive) throw refused;
    if (endpoints.json) {
      print(view, out);
    } else {
      out.println("version " + view.get("version").asString() + " of " + view.path("name").asString(groupBy.trim())
          + " is already live: nothing to roll out");
      out.flush();
    }
    return 0;
  }

  /** The view: JSON with --json, else a line about the versions and a table of the steps. */
  private void print(JsonNode view, PrintWriter out) {
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(view));
      out.flush();
      return;
    }
    out.println("rollout of " + view.path("name").asString(groupBy.trim()) + ": version " + view.path("version").asString("?") + " "
        + state(view) + " (live: version " + view.path("liveVersion").asString("?") + ")"
        + (view.hasNonNull("startedAt") ? ", started " + view.get("startedAt").asString() : ""));
    if (view.hasNonNull("error")) out.println("error: " + view.get("error").asString());
    if (!view.path("steps").isEmpty()) {
      Table t = new Table("step", "status", "detail", "batch job");
      for (JsonNode s : view.path("steps")) t.row(Api.text(s, "step"), Api.text(s, "status"), Api.text(s, "detail"), Api.text(s, "jobId"));
      t.print(out);
    }
    out.flush();
  }

  static String state(JsonNode view) {
    return view.path("state").asString("UNKNOWN");
  }

  /**
   * The step to show: the one running or failed, else (while the rollout has not ended) the next
   * pending one; null when there is none.
   */
  static JsonNode currentStep(JsonNode view) {
    for (JsonNode s : view.path("steps")) {
      String status = s.path("status").asString("");
      if (status.equals("RUNNING") || status.equals("FAILED")) return s;
    }
    if (ENDED.contains(state(view))) return null;
    for (JsonNode s : view.path("steps")) {
      if (s.path("status").asString("").equals("PENDING")) return s;
    }
    return null;
  }

  /** "rollout of g version 2 FAILED at step catch-up (stream job of v2): lag did not shrink in 30m". */
  static String failure(JsonNode view) {
    StringBuilder sb = new StringBuilder("rollout of ").append(view.path("name").asString("?")).append(" version ")
        .append(view.path("version").asString("?")).append(" FAILED");
    JsonNode step = currentStep(view);
    if (step != null) {
      sb.append(" at step ").append(step.path("step").asString("?"));
      if (step.hasNonNull("detail")) sb.append(" (").append(step.get("detail").asString()).append(')');
    }
    if (view.hasNonNull("error")) sb.append(": ").append(view.get("error").asString());
    return sb.toString();
  }

  /** What {@link JobWatcher} follows: a rollout ends LIVE, FAILED or SUPERSEDED; a change is of state, step or detail. */
  static JobWatcher.Subject subject(String name) {
    return new JobWatcher.Subject() {
      @Override
      public boolean ended(JsonNode view) {
        return ENDED.contains(state(view));
      }

      @Override
      public String line(JsonNode view, Duration elapsed, boolean bar) {
        return ProgressLine.rollout(view, elapsed, bar);
      }

      @Override
      public String changeKey(JsonNode view) {
        JsonNode step = currentStep(view);
        return state(view) + (step == null ? "" : "/" + Api.text(step, "step") + "/" + Api.text(step, "status") + "/" + Api.text(step, "detail"));
      }

      @Override
      public String stoppedWatching() {
        return "stopped watching; the rollout goes on in the registry: tessera rollout --conf=" + name + " --wait";
      }
    };
  }
}
