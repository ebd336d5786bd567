package dev.tessera.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /api/v1/jobs/consistency}: served online values against batch values recomputed for the same times. */
@Command(name = "consistency", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure training-serving skew of a GroupBy over a range of days.",
        "Compares the values the fetcher served (the feature log) with the values batch computes for the same",
        "entity and time, per feature, and explains each mismatch",
        "(LATE_EVENT, STALE_BATCH, VERSION_MISMATCH) or counts it UNEXPLAINED."},
    footer = {"", "Examples:",
        "  tessera consistency --conf=fraud_features --start-date=2024-06-01 --end-date=2024-06-30",
        "  tessera consistency --conf=fraud_features --start-date=2024-06-01 --end-date=2024-06-01 --json",
        "", "Exit codes: 0 no unexplained mismatch, 1 unexplained mismatches or job failed, 2 bad usage."})
final class ConsistencyCommand implements Callable<Integer> {
  @Option(names = "--conf", required = true, paramLabel = "GROUPBY", description = "GroupBy name")
  String groupBy;

  @Option(names = "--start-date", required = true, paramLabel = "yyyy-MM-dd", description = "first day of served values")
  String startDate;

  @Option(names = "--end-date", required = true, paramLabel = "yyyy-MM-dd", description = "last day (included)")
  String endDate;

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
    ObjectNode body = body();
    return output.follow(spec, endpoints, endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/consistency", body),
        JobOutput.standard(endpoints));
  }

  ObjectNode body() {
    Args.name(spec, "--conf", groupBy);
    Args.dateRange(spec, startDate, endDate);
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("groupBy", groupBy.trim()).put("startDate", startDate.trim()).put("endDate", endDate.trim());
    compute.addTo(body);
    return body;
  }
}
