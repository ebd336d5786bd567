package dev.tessera.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /api/v1/jobs/training-set}: a point-in-time correct join of a label table with the features. */
@Command(name = "training-set", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build a point-in-time correct training set from a table of labels.",
        "Every row of the left table (keys, a time column, labels) gets the features as of that row's time,",
        "from events strictly before it (no leakage). The output table is replaced."},
    footer = {"", "Examples:",
        "  tessera training-set --conf=fraud_features --left-table=labels --time-column=ts --output-table=fraud_training",
        "  tessera training-set --conf=fraud_features --left-table=labels --time-column=ts --output-table=fraud_training --parquet-path=fraud/training.parquet --json",
        "", "Exit codes: 0 job completed, 1 job failed or refused, 2 bad usage."})
final class TrainingSetCommand implements Callable<Integer> {
  @Option(names = "--conf", required = true, paramLabel = "GROUPBY", description = "GroupBy name")
  String groupBy;

  @Option(names = "--left-table", required = true, paramLabel = "TABLE", description = "table or view with the GroupBy's key columns and a time column")
  String leftTable;

  @Option(names = "--time-column", required = true, paramLabel = "COLUMN", description = "the left table's time: BIGINT epoch millis or TIMESTAMP (UTC)")
  String timeColumn;

  @Option(names = "--output-table", required = true, paramLabel = "TABLE", description = "where the training set goes (replaced)")
  String outputTable;

  @Option(names = "--parquet-path", paramLabel = "PATH", description = "also export it to this Parquet file (relative to the export directory; DuckDB only)")
  String parquetPath;

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
    return output.follow(spec, endpoints, endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/training-set", body),
        JobOutput.standard(endpoints));
  }

  ObjectNode body() {
    Args.name(spec, "--conf", groupBy);
    Args.name(spec, "--left-table", leftTable);
    Args.name(spec, "--time-column", timeColumn);
    Args.name(spec, "--output-table", outputTable);
    if (leftTable.trim().equalsIgnoreCase(outputTable.trim())) {
      throw Args.usage(spec, "--output-table must differ from --left-table (the output table is replaced)");
    }
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("groupBy", groupBy.trim()).put("leftTable", leftTable.trim()).put("timeColumn", timeColumn.trim())
        .put("outputTable", outputTable.trim());
    if (parquetPath != null && !parquetPath.isBlank()) body.put("parquetPath", parquetPath.trim());
    compute.addTo(body);
    return body;
  }
}
