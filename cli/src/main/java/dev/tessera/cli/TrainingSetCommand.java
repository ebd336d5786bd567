package dev.tessera.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/jobs/training-set}: a point-in-time correct join of a label table with the
 * features, of one GroupBy (with --left-table and --time-column) or of a Join (whose definition
 * names its left table and time column).
 */
@Command(name = "training-set", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build a point-in-time correct training set from a table of labels.",
        "Every row of the left table (keys, a time column, labels) gets the features as of that row's time,",
        "from events strictly before it (no leakage). The output table is replaced.",
        "For a Join, --conf names the Join and its left table, parts and derivations come from its definition."},
    footer = {"", "Examples:",
        "  tessera training-set --conf=fraud_model --output-table=fraud_model_training",
        "  tessera training-set --conf=fraud_model --output-table=fraud_model_training --start-date=2026-11-01 --end-date=2026-11-30",
        "  tessera training-set --conf=fraud_model --output-table=fraud_model_training --parquet-dataset=fraud_model/training",
        "  tessera training-set --conf=fraud_features --left-table=labels --time-column=ts --output-table=fraud_training",
        "  tessera training-set --conf=fraud_features --left-parquet=labels/ds=*/*.parquet --time-column=ts --output-table=fraud_training",
        "  tessera training-set --conf=fraud_features --left-table=labels --time-column=ts --output-table=fraud_training --parquet-path=fraud/training.parquet --json",
        "", "Exit codes: 0 job completed, 1 job failed or refused, 2 bad usage."})
final class TrainingSetCommand implements Callable<Integer> {
  @Option(names = "--conf", required = true, paramLabel = "NAME", description = "Join name, or GroupBy name (then with --left-table and --time-column)")
  String groupBy;

  @Option(names = "--left-table", paramLabel = "TABLE", description = "GroupBy only: table or view with the GroupBy's key columns and a time column")
  String leftTable;

  @Option(names = "--left-parquet", paramLabel = "PATH",
      description = "GroupBy only, instead of --left-table: the left rows as a Parquet dataset (folder or glob in the service's lake directory)")
  String leftParquet;

  @Option(names = "--time-column", paramLabel = "COLUMN", description = "GroupBy only: the left table's time: BIGINT epoch millis or TIMESTAMP (UTC)")
  String timeColumn;

  @Option(names = "--start-date", paramLabel = "DATE", description = "Join only: left rows from this day (UTC, included)")
  String startDate;

  @Option(names = "--end-date", paramLabel = "DATE", description = "Join only: left rows up to this day (UTC, included)")
  String endDate;

  @Option(names = "--output-table", required = true, paramLabel = "TABLE", description = "where the training set goes (replaced)")
  String outputTable;

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
    JsonNode submitted;
    try {
      submitted = endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/training-set", body);
    } catch (ApiException e) {
      if (body.has("join") && e.status() == 404) {
        throw new ApiException(e.status(), e.getMessage() + " (for a GroupBy's training set give --left-table and --time-column)");
      }
      throw e;
    }
    return output.follow(spec, endpoints, submitted, JobOutput.standard(endpoints));
  }

  ObjectNode body() {
    Args.name(spec, "--conf", groupBy);
    Args.name(spec, "--output-table", outputTable);
    boolean hasLeft = leftTable != null || leftParquet != null;
    if (!hasLeft && timeColumn == null) return joinBody();
    if (!hasLeft || timeColumn == null) {
      throw Args.usage(spec, "a GroupBy's training set needs both --left-table (or --left-parquet) and --time-column (a Join's needs neither)");
    }
    if (leftTable != null && leftParquet != null) throw Args.usage(spec, "give --left-table or --left-parquet, not both");
    if (startDate != null || endDate != null) throw Args.usage(spec, "--start-date and --end-date are for a Join's training set");
    Args.name(spec, "--time-column", timeColumn);
    Args.name(spec, "--output-table", outputTable);
    if (leftTable != null) {
      Args.name(spec, "--left-table", leftTable);
      if (leftTable.trim().equalsIgnoreCase(outputTable.trim())) {
        throw Args.usage(spec, "--output-table must differ from --left-table (the output table is replaced)");
      }
    } else if (leftParquet.isBlank()) {
      throw Args.usage(spec, "--left-parquet needs a path (a folder or glob in the lake directory)");
    }
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("groupBy", groupBy.trim());
    if (leftTable != null) body.put("leftTable", leftTable.trim());
    else body.put("leftParquet", leftParquet.trim());
    body.put("timeColumn", timeColumn.trim()).put("outputTable", outputTable.trim());
    parquet.addTo(body);
    compute.addTo(body);
    return body;
  }

  /** {@code {"join": ..., "outputTable": ...}}: the Join's definition names its left table. */
  private ObjectNode joinBody() {
    compute.validate(spec);
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("join", groupBy.trim()).put("outputTable", outputTable.trim());
    if (startDate != null) body.put("startDate", Args.date(spec, "--start-date", startDate).toString());
    if (endDate != null) body.put("endDate", Args.date(spec, "--end-date", endDate).toString());
    if (startDate != null && endDate != null) Args.dateRange(spec, startDate, endDate);
    parquet.addTo(body);
    compute.addTo(body);
    return body;
  }
}
