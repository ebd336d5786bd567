package dev.tessera.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** The batch service's jobs: list, follow, stop, restart. Without a subcommand: list. */
@Command(name = "jobs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"List, show, stop or restart batch jobs.", "Jobs: backfill, training-set, upload, ingest, consistency."},
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Status.class, JobsCommand.Stop.class, JobsCommand.Restart.class},
    footer = {"", "Examples:",
        "  tessera jobs                       # the 20 newest jobs",
        "  tessera jobs list --type=backfill --limit=50",
        "  tessera jobs status 12             # progress, partitions, rejections, errors, result",
        "  tessera jobs status 12 --wait      # follow it to its end",
        "  tessera jobs stop 12",
        "  tessera jobs restart 12            # only what did not complete runs again"})
final class JobsCommand implements Callable<Integer> {
  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return ListJobs.list(spec, endpoints, null, 20);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Recent jobs, newest first.",
      footer = {"", "Examples:", "  tessera jobs list", "  tessera jobs list --type=upload --limit=5 --json"})
  static final class ListJobs implements Callable<Integer> {
    @Option(names = "--type", description = "only jobs of this type: backfill, training-set, upload, ingest, consistency")
    String type;

    @Option(names = "--limit", defaultValue = "20", description = "at most this many (1..1000, default ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 1000) throw Args.usage(spec, "--limit must be between 1 and 1000, was " + limit);
      if (type != null) Args.name(spec, "--type", type);
      return list(spec, endpoints, type, limit);
    }

    static int list(CommandSpec spec, Endpoints endpoints, String type, int limit) {
      String url = endpoints.batch + "/api/v1/jobs?limit=" + limit
          + (type == null ? "" : "&type=" + URLEncoder.encode(type.trim(), StandardCharsets.UTF_8));
      JsonNode jobs = endpoints.api().get(url);
      PrintWriter out = spec.commandLine().getOut();
      if (endpoints.json) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(jobs));
      } else {
        table(jobs).print(out);
        if (jobs.isEmpty()) out.println("(no jobs)");
      }
      out.flush();
      return 0;
    }

    static Table table(JsonNode jobs) {
      Table t = new Table("id", "job", "status", "groupBy", "target", "created", "ended");
      for (JsonNode j : jobs) {
        t.row(j.path("id").asString("?"), j.path("job").asString(null), j.path("status").asString(null), j.path("groupBy").asString(null),
            j.path("target").asString(null), shortTime(j.path("createdAt").asString(null)), shortTime(j.path("endedAt").asString(null)));
      }
      return t;
    }

    /** 2026-03-01T10:15:30.123456 -> 2026-03-01 10:15:30 */
    static String shortTime(String t) {
      if (t == null) return null;
      String s = t.replace('T', ' ');
      int dot = s.indexOf('.');
      return dot > 0 ? s.substring(0, dot) : s;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"One job: status, progress, rejected rows, errors and result.",
          "Exit code: 1 when the job failed or was stopped, else 0 (with --wait: when it has ended)."},
      footer = {"", "Examples:", "  tessera jobs status 12", "  tessera jobs status 12 --wait", "  tessera jobs status 12 --json"})
  static final class Status implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "job id")
    String id;

    @Option(names = "--wait", description = "follow the job until it ends, with progress")
    boolean await;

    @Mixin
    JobOutput output;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      long job = Args.jobId(spec, id);
      JsonNode view = await ? output.watch(spec, endpoints, job) : endpoints.api().get(endpoints.batch + "/api/v1/jobs/" + job);
      PrintWriter out = spec.commandLine().getOut();
      if (endpoints.json) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(view));
        out.flush();
      } else {
        if (ConsistencyReport.isConsistency(view) && JobReport.succeeded(view)) {
          return ConsistencyReport.finish(view, out, spec.commandLine().getErr());
        }
        JobReport.print(out, view);
        partitions(out, view);
      }
      if (!JobReport.ended(view) || JobReport.succeeded(view)) return 0;
      spec.commandLine().getErr().println("error: " + JobReport.failureReason(view));
      spec.commandLine().getErr().flush();
      return 1;
    }

    private static void partitions(PrintWriter out, JsonNode view) {
      JsonNode parts = view.path("partitions");
      if (parts.size() < 2) return;
      out.println();
      Table t = new Table("partition", "status", "rows read", "rejected", "entities", "written", "error");
      for (JsonNode p : parts) {
        t.row(p.path("partition").asString("?"), p.path("status").asString(null), Numbers.count(p.get("rowsRead")),
            Numbers.count(p.get("rowsRejected")), Numbers.count(p.get("entities")), Numbers.count(p.get("rowsWritten")),
            p.path("error").asString(null));
      }
      t.print(out);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop a running job at its next chunk boundary (it can be restarted).",
      footer = {"", "Example:", "  tessera jobs stop 12"})
  static final class Stop implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "job id")
    String id;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      long job = Args.jobId(spec, id);
      JsonNode accepted = endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/" + job + "/stop", "{}");
      PrintWriter out = spec.commandLine().getOut();
      if (endpoints.json) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(accepted));
      } else {
        out.println("stopping " + accepted.path("job").asString("job") + " " + job + " (" + accepted.path("status").asString("?")
            + "); restart it with: tessera jobs restart " + job);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true,
      description = "Restart a failed or stopped job: only the partitions that did not complete run again; then follow it.",
      footer = {"", "Examples:", "  tessera jobs restart 12", "  tessera jobs restart 12 --no-wait"})
  static final class Restart implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "job id")
    String id;

    @Mixin
    JobOutput output;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      long job = Args.jobId(spec, id);
      JsonNode accepted = endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/" + job + "/restart", "{}");
      return output.follow(spec, endpoints, accepted, JobOutput.standard(endpoints));
    }
  }
}
