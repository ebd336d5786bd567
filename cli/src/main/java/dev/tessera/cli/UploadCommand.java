package dev.tessera.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /api/v1/jobs/upload}: batch IRs as of a date to Redis, for the fetcher. */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Upload the batch side of an online GroupBy to Redis for serving.",
        "Every entity's batch IR as of the end of --date (batch end = the next midnight UTC), then the upload",
        "marker that the fetcher and the streaming jobs follow."},
    footer = {"", "Examples:",
        "  tessera upload --conf=fraud_features --date=2024-06-30",
        "  tessera upload --conf=fraud_features --date=2024-06-01 --force     # older than the live upload",
        "", "Exit codes: 0 job completed, 1 job failed or refused, 2 bad usage."})
final class UploadCommand implements Callable<Integer> {
  @Option(names = "--conf", required = true, paramLabel = "GROUPBY", description = "GroupBy name (must be online)")
  String groupBy;

  @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "values as of the end of this day (UTC)")
  String date;

  @Option(names = "--force", description = "upload even when a later date is live already (replaces newer data)")
  boolean force;

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
    return output.follow(spec, endpoints, endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/upload", body),
        JobOutput.standard(endpoints));
  }

  ObjectNode body() {
    Args.name(spec, "--conf", groupBy);
    Args.date(spec, "--date", date);
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("groupBy", groupBy.trim()).put("date", date.trim());
    if (force) body.put("force", true);
    compute.addTo(body);
    return body;
  }
}
