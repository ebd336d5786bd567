package dev.tessera.cli;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.registry.PublishedGroupBy;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Fetches online feature values of one or more entities, or the whole vector of a Join for one or more rows. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = {"Fetch the online features of entities (a GroupBy) or of request rows (a Join).",
        "  tessera fetch --conf=fraud_features --keys user_id=123",
        "  tessera fetch --join=fraud_model --keys buyer=user_1000,shop=amazon,amount_now=120.5,channel=web"})
final class FetchCommand implements Callable<Integer> {
  @Option(names = "--conf", description = "GroupBy name")
  String groupBy;

  @Option(names = "--join", description = "Join name: fetch its whole feature vector (every part, request fields, derivations)")
  String join;

  @Option(names = {"--keys", "--row"}, required = true, arity = "1..*",
      description = "an entity's key values (GroupBy), or a row's key columns and request fields (Join): name=value[,name=value];"
          + " repeat for more")
  List<String> keys;

  @Option(names = "--at", description = "values as of this time (epoch millis or ISO-8601 instant) instead of now")
  String at;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if ((groupBy == null) == (join == null)) throw Args.usage(spec, "give either --conf=GROUPBY or --join=JOIN");
    if (join != null) return new JoinFetch(join, keys, at == null ? null : atMillis(at), endpoints, spec).call();
    Api api = endpoints.api();
    CompiledGroupBy g = definition(api);
    ArrayNode body = Api.JSON.createArrayNode();
    for (String entity : keys) body.add(parseKeys(entity, g));
    String url = endpoints.fetcher + "/v1/features/groupby/" + URLEncoder.encode(groupBy, StandardCharsets.UTF_8)
        + (at == null ? "" : "?atMillis=" + atMillis(at));
    JsonNode response = api.postJson(url, body);
    PrintWriter out = spec.commandLine().getOut();
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
      out.flush();
      return failures(response) == 0 ? 0 : 1;
    }
    for (JsonNode result : response.path("results")) {
      out.println(result.path("entityKeys") + "  " + result.path("status").asString()
          + (result.has("meta") ? "  " + meta(result.get("meta")) : ""));
      if (result.has("error")) out.println("  error: " + result.get("error").asString());
      Table t = new Table("feature", "value");
      result.path("features").properties().forEach(e -> t.row(e.getKey(), e.getValue().isNull() ? "null" : e.getValue().toString()));
      if (result.has("features")) t.print(out);
      out.println();
    }
    out.flush();
    return failures(response) == 0 ? 0 : 1;
  }

  private CompiledGroupBy definition(Api api) {
    JsonNode body = api.get(endpoints.registry + "/api/v1/groupbys/" + URLEncoder.encode(groupBy, StandardCharsets.UTF_8));
    return GroupByCompiler.compile(PublishedGroupBy.fromTree(body).definition()).orThrow();
  }

  /** {@code user_id=123,merchant=x} typed by the GroupBy's key columns. */
  static ObjectNode parseKeys(String spec, CompiledGroupBy g) {
    Map<String, String> raw = pairs(spec);
    ObjectNode n = Api.JSON.createObjectNode();
    List<String> names = g.keyNames();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String v = raw.remove(name);
      if (v == null) throw new IllegalArgumentException("missing key '" + name + "' (keys of " + g.name() + ": " + names + ")");
      put(n, name, v, g.keyType(i), "key");
    }
    if (!raw.isEmpty()) throw new IllegalArgumentException("unknown key(s) " + raw.keySet() + " (keys of " + g.name() + ": " + names + ")");
    return n;
  }

  /** {@code a=1,b=x} in order; a value may be empty. */
  static Map<String, String> pairs(String spec) {
    Map<String, String> raw = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--keys wants name=value pairs, got '" + part + "'");
      raw.put(part.substring(0, eq).trim(), part.substring(eq + 1));
    }
    return raw;
  }

  /** Puts {@code value} as JSON of {@code type}: numbers and booleans parsed, strings as they are. */
  static void put(ObjectNode n, String name, String value, DataType type, String what) {
    try {
      if (type.isIntegral()) {
        n.put(name, Long.parseLong(value.trim()));
      } else if (type.isNumeric()) {
        n.put(name, Double.parseDouble(value.trim()));
      } else if (type == DataType.Primitive.BOOLEAN) {
        String b = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) throw new NumberFormatException();
        n.put(name, Boolean.parseBoolean(b));
      } else {
        n.put(name, value);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + name + "' is " + type.spec() + ", not '" + value + "'");
    }
  }

  static long atMillis(String at) {
    try {
      return Long.parseLong(at.trim());
    } catch (NumberFormatException e) {
      return Instant.parse(at.trim()).toEpochMilli();
    }
  }

  private static String meta(JsonNode m) {
    StringBuilder sb = new StringBuilder("v" + m.path("version").asString());
    if (m.hasNonNull("asOf")) sb.append(" as of ").append(Instant.ofEpochMilli(m.get("asOf").asLong()));
    if (m.hasNonNull("batchEnd")) sb.append(", batch end ").append(Instant.ofEpochMilli(m.get("batchEnd").asLong()));
    if (m.hasNonNull("latestTileEnd")) sb.append(", newest tile ends ").append(Instant.ofEpochMilli(m.get("latestTileEnd").asLong()));
    if (m.path("stale").asBoolean(false)) sb.append(", STALE batch data");
    return sb.toString();
  }

  private static long failures(JsonNode response) {
    long n = 0;
    for (JsonNode r : response.path("results")) if (!"Success".equals(r.path("status").asString())) n++;
    return n;
  }
}
