package dev.tessera.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The stream service's jobs ({@code /api/v1/streaming-jobs}): start, stop, show. */
@Command(name = "streaming-job", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Start, stop or show the streaming job of an online GroupBy.",
        "The job (Kafka Streams) keeps tiles of the GroupBy in Redis for the fetcher.",
        "Jobs are recorded on Kafka: every stream-service instance runs them and they survive restarts."},
    footer = {"", "Examples:",
        "  tessera streaming-job --conf=fraud_features --mode=create",
        "  tessera streaming-job --conf=fraud_features --mode=status",
        "  tessera streaming-job --mode=status                      # every job on the instance",
        "  tessera streaming-job --conf=fraud_features --mode=stop",
        "", "Exit codes: 0 ok, 1 refused or the job FAILED, 2 bad usage."})
final class StreamingJobCommand implements Callable<Integer> {
  @Option(names = "--conf", paramLabel = "GROUPBY", description = "GroupBy name (optional with --mode=status: all jobs)")
  String groupBy;

  @Option(names = "--mode", defaultValue = "status", paramLabel = "create|stop|status", description = "what to do (default ${DEFAULT-VALUE})")
  String mode;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String m = mode.trim().toLowerCase(Locale.ROOT);
    if (!List.of("create", "stop", "status").contains(m)) throw Args.usage(spec, "--mode must be create, stop or status, was '" + mode + "'");
    if (groupBy == null && !m.equals("status")) throw Args.usage(spec, "--conf=GROUPBY is required with --mode=" + m);
    if (groupBy != null) Args.name(spec, "--conf", groupBy);
    String base = endpoints.stream + "/api/v1/streaming-jobs";
    Api api = endpoints.api();
    JsonNode answer = switch (m) {
      case "create" -> {
        ObjectNode body = Api.JSON.createObjectNode().put("groupBy", groupBy.trim()).put("mode", "create");
        yield api.postJson(base, body);
      }
      case "stop" -> api.delete(base + "/" + encode(groupBy));
      default -> groupBy == null ? api.get(base) : api.get(base + "/" + encode(groupBy));
    };
    PrintWriter out = spec.commandLine().getOut();
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } else if (answer.has("jobs")) {
      list(answer.path("jobs")).print(out);
      if (answer.path("jobs").isEmpty()) out.println("(no streaming jobs on this instance)");
    } else {
      details(answer).print(out);
    }
    out.flush();
    List<JsonNode> jobs = new ArrayList<>();
    if (answer.has("jobs")) answer.path("jobs").forEach(jobs::add); else jobs.add(answer);
    long failed = jobs.stream().filter(j -> "FAILED".equals(j.path("state").asString(""))).count();
    if (failed > 0) {
      spec.commandLine().getErr().println("error: " + failed + " streaming job" + (failed == 1 ? "" : "s") + " FAILED"
          + jobs.stream().filter(j -> j.hasNonNull("error")).findFirst().map(j -> ": " + j.get("error").asString()).orElse(""));
      spec.commandLine().getErr().flush();
      return 1;
    }
    return 0;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s.trim(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Table list(JsonNode jobs) {
    Table t = new Table("groupBy", "version", "state", "lag", "events in", "applied", "late", "dead-lettered", "freshness");
    for (JsonNode j : jobs) {
      t.row(j.path("groupBy").asString(null), j.path("version").asString(null), j.path("state").asString(null),
          Numbers.count(j.path("lag").get("total")), Numbers.count(j.path("events").get("in")), Numbers.count(j.path("events").get("applied")),
          Numbers.count(j.path("events").get("late")), deadLettered(j), freshness(j));
    }
    return t;
  }

  static Table details(JsonNode j) {
    Table t = new Table("streaming job", j.path("groupBy").asString("?") + (j.hasNonNull("version") ? " v" + j.get("version").asString() : ""));
    t.row("state", j.path("state").asString(null));
    if (j.hasNonNull("reason")) t.row("reason", j.get("reason").asString());
    if (j.hasNonNull("error")) t.row("error", j.get("error").asString());
    t.row("application id", j.path("applicationId").asString(null));
    t.row("source topics", join(j.path("sourceTopics")));
    t.row("dead-letter topic", j.path("deadLetterTopic").asString(null));
    t.row("started", j.path("startedAt").asString(null));
    t.row("lag", Numbers.count(j.path("lag").get("total")));
    JsonNode e = j.path("events");
    t.row("events in / applied / filtered / late", Numbers.count(e.get("in")) + " / " + Numbers.count(e.get("applied")) + " / "
        + Numbers.count(e.get("filtered")) + " / " + Numbers.count(e.get("late")));
    t.row("dead-lettered (late, malformed, error)", deadLettered(j));
    JsonNode tiles = j.path("tiles");
    t.row("tiles written / trimmed / write failures", Numbers.count(tiles.get("written")) + " / " + Numbers.count(tiles.get("trimmed"))
        + " / " + Numbers.count(tiles.get("writeFailures")));
    t.row("newest event", j.path("newestEventTime").asString(null));
    t.row("freshness", freshness(j));
    t.row("tasks", join(j.path("tasks")));
    return t;
  }

  private static String deadLettered(JsonNode j) {
    JsonNode d = j.path("events").path("deadLettered");
    if (!d.isObject()) return "-";
    long total = 0;
    for (Map.Entry<String, JsonNode> e : d.properties()) total += e.getValue().asLong(0);
    return Numbers.count(total) + (total == 0 ? "" : " (" + Numbers.count(d.get("late")) + ", " + Numbers.count(d.get("malformed")) + ", "
        + Numbers.count(d.get("error")) + ")");
  }

  private static String freshness(JsonNode j) {
    JsonNode f = j.get("freshnessSeconds");
    return f == null || !f.isNumber() ? "-" : Numbers.decimal(f.asDouble()) + " s";
  }

  private static String join(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) return "-";
    List<String> s = new ArrayList<>();
    array.forEach(n -> s.add(n.asString("")));
    return String.join(", ", s);
  }
}
