package dev.tessera.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /api/v1/jobs/ingest}: lands a Kafka topic of JSON events in a warehouse table, exactly once. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Land a Kafka topic of JSON events in a warehouse table, exactly once.",
        "Offsets are kept with the rows. Either --conf (the GroupBy's source reading --topic gives schema, time column and table, so batch sees",
        "exactly what streaming saw) or --table, --schema and --time-column. Refused records go to <table>_errors with their reason.",
        "--format=feature-log|dead-letter lands Tessera's own logs (fixed columns; default tables tessera_feature_log, tessera_deadletter)."},
    footer = {"", "Examples:",
        "  tessera ingest --topic=purchases --conf=fraud_features",
        "  tessera ingest --topic=clicks --table=clicks --schema=user_id=STRING,url=STRING,ts=LONG --time-column=ts",
        "  tessera ingest --topic=purchases --conf=fraud_features --mode=continuous --no-wait   # until 'tessera jobs stop ID'",
        "  tessera ingest --topic=tessera.deadletter.fraud_features --format=dead-letter",
        "  tessera ingest --topic=tessera.feature-log --format=feature-log",
        "", "Exit codes: 0 job completed (or a continuous job stopped), 1 job failed or refused, 2 bad usage."})
final class IngestCommand implements Callable<Integer> {
  @Option(names = "--topic", required = true, description = "Kafka topic to read")
  String topic;

  @Option(names = "--conf", paramLabel = "GROUPBY", description = "GroupBy whose source reads the topic")
  String groupBy;

  @Option(names = "--table", description = "warehouse table to land in (default with --conf: the source's table)")
  String table;

  @Option(names = "--schema", paramLabel = "COLUMN=TYPE[,...]",
      description = "columns without --conf: STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, LIST<T>, MAP<STRING,T>")
  List<String> schema;

  @Option(names = "--time-column", paramLabel = "COLUMN", description = "event time column (with --schema)")
  String timeColumn;

  @Option(names = "--format", defaultValue = "events", paramLabel = "events|feature-log|dead-letter",
      description = "events (default): JSON events of a schema; feature-log: the fetcher's log; dead-letter: a stream dead-letter topic")
  String format;

  @Option(names = "--mode", defaultValue = "bounded", paramLabel = "bounded|continuous",
      description = "bounded: up to the end of the topic at start (default); continuous: until stopped")
  String mode;

  @Mixin
  JobOutput output;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    ObjectNode body = body();
    if (!output.noWait && !endpoints.json && body.path("mode").asString("").equals("continuous")) {
      spec.commandLine().getErr().println("continuous ingest runs until stopped; Ctrl-C stops watching, not the job ('tessera jobs stop ID' does)");
    }
    return output.follow(spec, endpoints, endpoints.api().postJson(endpoints.batch + "/api/v1/jobs/ingest", body),
        JobOutput.standard(endpoints));
  }

  ObjectNode body() {
    Args.name(spec, "--topic", topic);
    String m = mode == null ? "bounded" : mode.trim().toLowerCase(Locale.ROOT);
    if (!m.equals("bounded") && !m.equals("continuous")) throw Args.usage(spec, "--mode must be bounded or continuous, was '" + mode + "'");
    boolean hasSchema = schema != null && !schema.isEmpty();
    String f = format == null ? "events" : format.trim().toLowerCase(Locale.ROOT);
    if (!List.of("events", "feature-log", "dead-letter").contains(f)) {
      throw Args.usage(spec, "--format must be events, feature-log or dead-letter, was '" + format + "'");
    }
    if (!f.equals("events")) return logBody(f, m, hasSchema);
    if (groupBy != null && hasSchema) throw Args.usage(spec, "give either --conf or --schema, not both");
    if (groupBy == null && !hasSchema) throw Args.usage(spec, "give --conf=GROUPBY, or --table, --schema and --time-column");
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("topic", topic.trim());
    if (groupBy != null) {
      Args.name(spec, "--conf", groupBy);
      body.put("groupBy", groupBy.trim());
      if (timeColumn != null) throw Args.usage(spec, "--time-column comes from the GroupBy's source with --conf; leave it out");
    } else {
      if (table == null) throw Args.usage(spec, "--table is required with --schema");
      if (timeColumn == null) throw Args.usage(spec, "--time-column is required with --schema");
      Map<String, String> columns = Args.schema(spec, schema);
      Args.name(spec, "--time-column", timeColumn);
      if (!columns.containsKey(timeColumn.trim())) {
        throw Args.usage(spec, "--time-column '" + timeColumn.trim() + "' is not in --schema " + columns.keySet());
      }
      ObjectNode s = body.putObject("schema");
      columns.forEach(s::put);
      body.put("timeColumn", timeColumn.trim());
    }
    if (table != null) {
      Args.name(spec, "--table", table);
      body.put("table", table.trim());
    }
    body.put("mode", m);
    return body;
  }

  /** A log has fixed columns: only the topic, the table (else the format's default) and the mode. */
  private ObjectNode logBody(String f, String m, boolean hasSchema) {
    if (groupBy != null || hasSchema || timeColumn != null) {
      throw Args.usage(spec, "a " + f + " has fixed columns: leave out --conf, --schema and --time-column");
    }
    ObjectNode body = Api.JSON.createObjectNode();
    body.put("topic", topic.trim()).put("format", f);
    if (table != null) {
      Args.name(spec, "--table", table);
      body.put("table", table.trim());
    }
    body.put("mode", m);
    return body;
  }
}
