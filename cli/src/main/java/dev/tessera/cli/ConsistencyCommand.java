package dev.tessera.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/jobs/consistency}: served online values against batch values recomputed for the
 * same times, of a GroupBy or of a Join. Whether {@code --conf} names a Join is {@code --join}, or else
 * the registry's answer to {@code GET /api/v1/joins/{name}} (a published Join: 200).
 */
@Command(name = "consistency", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure training-serving skew of a GroupBy or a Join over a range of days.",
        "Compares the values the fetcher served (the feature log) with the values batch computes for the same",
        "entity and time, per feature (for a Join: per column, its parts' features and its derivations), and",
        "explains each mismatch (LATE_EVENT, STALE_BATCH, VERSION_MISMATCH) or counts it UNEXPLAINED.",
        "--conf names a Join when the registry has a Join of that name (or with --join), a GroupBy otherwise."},
    footer = {"", "Examples:",
        "  tessera consistency --conf=fraud_features --start-date=2024-06-01 --end-date=2024-06-30",
        "  tessera consistency --conf=fraud_model --start-date=2024-06-01 --end-date=2024-06-01",
        "  tessera consistency --conf=fraud_model --join --start-date=2024-06-01 --end-date=2024-06-01 --json",
        "", "Exit codes: 0 no unexplained mismatch, 1 unexplained mismatches or job failed, 2 bad usage."})
final class ConsistencyCommand implements Callable<Integer> {
  @Option(names = "--conf", required = true, paramLabel = "NAME", description = "GroupBy or Join name")
  String groupBy;

  @Option(names = "--join", description = "--conf names a Join (without it, the registry is asked)")
  boolean join;

  @Option(names = "--start-date", required = true, paramLabel = "yyyy-MM-dd", description = "first day of served values")
  String startDate;

  @Option(names = "--end-date", required = true, paramLabel = "yyyy-MM-dd", description = "last day (included)")
  String endDate;

  @Option(names = "--log-table", paramLabel = "TABLE", description = "landed feature log (default: the service's, tessera_feature_log)")
  String logTable;

  @Option(names = "--dead-letter-table", paramLabel = "TABLE",
      description = "landed dead letters, for the late-event attribution (default: the service's, tessera_deadletter)")
  String deadLetterTable;

  @Mixin
  ComputeOptions compute;

  @Mixin
  JobOutput output;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    body(); // usage mistakes first, before asking anything
    boolean isJoin = join || isJoin(endpoints, groupBy.trim(), spec.commandLine().getErr());
    ObjectNode body = body(isJoin);
    JobOutput.Finisher standard = JobOutput.standard(endpoints);
    JobOutput.Finisher finisher = !isJoin || endpoints.json ? standard : (job, out, err) -> {
      int exit = standard.finish(job, out, err);
      if (JobReport.succeeded(job)) printParts(job.path("result"), out);
      return exit;
    };
    return output.follow(spec, endpoints, endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/consistency", body), finisher);
  }

  ObjectNode body() {
    return body(join);
  }

  ObjectNode body(boolean isJoin) {
    Args.name(spec, "--conf", groupBy);
    Args.dateRange(spec, startDate, endDate);
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put(isJoin ? "join" : "groupBy", groupBy.trim()).put("startDate", startDate.trim()).put("endDate", endDate.trim());
    if (logTable != null) {
      Args.name(spec, "--log-table", logTable);
      body.put("logTable", logTable.trim());
    }
    if (deadLetterTable != null) {
      Args.name(spec, "--dead-letter-table", deadLetterTable);
      body.put("deadLetterTable", deadLetterTable.trim());
    }
    compute.addTo(body);
    return body;
  }

  /**
   * Whether the registry has a live Join of that name. A registry that cannot be asked leaves it a
   * GroupBy, as before Joins (and says so: {@code --join} settles it).
   */
  static boolean isJoin(Endpoints endpoints, String name, PrintWriter err) {
    try {
      JsonNode j = endpoints.api().get(endpoints.registry + "/api/v1/joins/" + Definitions.encode(name));
      return !"RETIRED".equalsIgnoreCase(j.path("status").asString(""));
    } catch (ApiException e) {
      if (e.status() != 404) {
        err.println("warning: could not ask the registry whether '" + name + "' is a Join (" + e.getMessage()
            + "); checking it as a GroupBy (give --join for a Join)");
        err.flush();
      }
      return false;
    }
  }

  /** A Join's per-part breakdown after the per-column table: rows compared, rows whose part failed online, mismatches by cause. */
  static void printParts(JsonNode result, PrintWriter out) {
    if (!result.path("parts").isArray() || result.path("parts").isEmpty()) return;
    Table t = new Table("part", "GroupBy", "rows", "failed", "values", "mismatches", "late event", "stale batch", "version", "unexplained");
    for (JsonNode p : result.path("parts")) {
      JsonNode causes = p.path("causes");
      boolean derived = p.path("derived").asBoolean(false);
      t.row(derived ? "(derived)" : p.path("part").asString("?"), derived ? null : p.path("groupBy").asString(null),
          Numbers.count(p.get("rowsCompared")), derived ? null : Numbers.count(p.get("rowsFailed")), Numbers.count(p.get("valuesCompared")),
          Numbers.count(p.get("mismatches")), Numbers.count(causes.get(ConsistencyReport.CAUSES[0])),
          Numbers.count(causes.get(ConsistencyReport.CAUSES[1])), Numbers.count(causes.get(ConsistencyReport.CAUSES[2])),
          Numbers.count(causes.get(ConsistencyReport.CAUSES[3])));
    }
    out.println();
    t.print(out);
    long failed = result.path("failureRows").asLong(0);
    if (failed > 0) out.println(Numbers.count(failed) + " rows whose every part failed were not compared");
    out.flush();
  }
}
