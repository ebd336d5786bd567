package dev.tessera.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /api/v1/jobs/backfill}: daily snapshots of a GroupBy for a range of days. */
@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compute daily feature snapshots of a GroupBy for a range of days.",
        "Writes the warehouse table <groupBy>_v<version>_daily: one row per key per day (both days included, UTC),",
        "values as of the end of that day."},
    footer = {"", "Examples:",
        "  tessera backfill --conf=fraud_features --start-date=2024-01-01 --end-date=2024-06-30",
        "  tessera backfill --conf=fraud_features --start-date=2024-03-01 --end-date=2024-03-07 --parquet-path=fraud/march.parquet --partitions=8",
        "  tessera backfill --conf=fraud_features --start-date=2024-03-01 --end-date=2024-03-31 --parquet-dataset=fraud/daily",
        "  id=$(tessera backfill --conf=fraud_features --start-date=2024-01-01 --end-date=2024-01-31 --no-wait)",
        "", "Exit codes: 0 job completed, 1 job failed or refused, 2 bad usage."})
final class BackfillCommand implements Callable<Integer> {
  @Option(names = "--conf", required = true, paramLabel = "GROUPBY", description = "GroupBy name")
  String groupBy;

  @Option(names = "--start-date", required = true, paramLabel = "yyyy-MM-dd", description = "first day")
  String startDate;

  @Option(names = "--end-date", required = true, paramLabel = "yyyy-MM-dd", description = "last day (included)")
  String endDate;

  @Mixin
  ParquetOutputOptions parquet;

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
    return output.follow(spec, endpoints, endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/backfill", body),
        JobOutput.standard(endpoints));
  }

  ObjectNode body() {
    Args.name(spec, "--conf", groupBy);
    Args.dateRange(spec, startDate, endDate);
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("groupBy", groupBy.trim()).put("startDate", startDate.trim()).put("endDate", endDate.trim());
    parquet.addTo(body);
    compute.addTo(body);
    return body;
  }
}
