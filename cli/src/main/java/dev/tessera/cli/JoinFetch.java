package dev.tessera.cli;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code tessera fetch --join=NAME}: one call for the whole vector of each row (POST /v1/features/join/{name}). */
final class JoinFetch {
  private final String name;
  private final List<String> rows;
  private final Long atMillis;
  private final Endpoints endpoints;
  private final CommandSpec spec;

  JoinFetch(String name, List<String> rows, Long atMillis, Endpoints endpoints, CommandSpec spec) {
    this.name = name;
    this.rows = rows;
    this.atMillis = atMillis;
    this.endpoints = endpoints;
    this.spec = spec;
  }

  int call() {
    Api api = endpoints.api();
    Join join = Definitions.join(api, endpoints, name).definition();
    ArrayNode body = Api.JSON.createArrayNode();
    for (String row : rows) body.add(parseRow(row, join));
    String url = endpoints.fetcher + "/v1/features/join/" + Definitions.encode(name) + (atMillis == null ? "" : "?atMillis=" + atMillis);
    JsonNode response = api.postJson(url, body);
    PrintWriter out = spec.commandLine().getOut();
    long notOk = 0;
    for (JsonNode r : response.path("results")) if (!"Success".equals(r.path("status").asString())) notOk++;
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
    } else {
      int i = 0;
      for (JsonNode result : response.path("results")) print(out, body.get(i++), result);
    }
    out.flush();
    return notOk == 0 ? 0 : 1;
  }

  /**
   * {@code buyer=u1,shop=m9,amount_now=12.5,channel=web}: the Join's key columns and request fields,
   * typed by its left schema; a request field given as {@code null} is sent as JSON null.
   */
  static ObjectNode parseRow(String spec, Join join) {
    Map<String, String> raw = FetchCommand.pairs(spec);
    Set<String> wanted = new LinkedHashSet<>();
    join.parts().forEach(p -> wanted.addAll(p.keyMapping().keySet()));
    wanted.addAll(join.request());
    Map<String, DataType> schema = join.left() == null ? Map.of() : join.left().schema();
    ObjectNode n = Api.JSON.createObjectNode();
    List<String> missing = new ArrayList<>();
    for (String column : wanted) {
      String v = raw.remove(column);
      if (v == null) {
        missing.add(column);
      } else if (v.equals("null") && join.request().contains(column) && schema.get(column) != DataType.Primitive.STRING) {
        n.putNull(column);
      } else {
        FetchCommand.put(n, column, v, schema.getOrDefault(column, DataType.Primitive.STRING), "column");
      }
    }
    if (!missing.isEmpty()) throw new IllegalArgumentException("missing " + missing + " (Join " + join.name() + " needs " + wanted + ")");
    if (!raw.isEmpty()) throw new IllegalArgumentException("unknown column(s) " + raw.keySet() + " (Join " + join.name() + " needs " + wanted + ")");
    return n;
  }

  private static void print(PrintWriter out, JsonNode row, JsonNode result) {
    JsonNode meta = result.path("meta");
    StringBuilder head = new StringBuilder(row + "  " + result.path("status").asString());
    if (meta.has("joinVersion")) head.append("  join v").append(meta.get("joinVersion").asString());
    if (meta.hasNonNull("asOf")) head.append(" as of ").append(Instant.ofEpochMilli(meta.get("asOf").asLong()));
    out.println(head);
    if (result.has("error")) out.println("  error: " + result.get("error").asString());
    for (var part : meta.path("parts").properties()) {
      JsonNode p = part.getValue();
      StringBuilder sb = new StringBuilder("  part " + part.getKey() + ": " + p.path("groupBy").asString() + " v" + p.path("version").asString());
      if (p.hasNonNull("batchEnd")) sb.append(", batch end ").append(Instant.ofEpochMilli(p.get("batchEnd").asLong()));
      if (p.path("stale").asBoolean(false)) sb.append(", STALE batch data");
      if (p.hasNonNull("error")) sb.append(", FAILED: ").append(p.get("error").asString());
      out.println(sb);
    }
    Table t = new Table("column", "value");
    result.path("features").properties().forEach(e -> t.row(e.getKey(), e.getValue().isNull() ? "null" : e.getValue().toString()));
    if (result.has("features")) t.print(out);
    out.println();
  }
}
