package dev.tessera.agg.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a GroupBy from JSON or YAML (the same fields, DESIGN.md). It never throws on bad input:
 * every problem it can see is reported with its JSON path, and as much of the definition as can be
 * understood is kept so that the compiler can report the semantic problems too.
 */
public final class GroupByReader {

  public enum Format { JSON, YAML, AUTO }

  private static final Set<String> ROOT_FIELDS =
      Set.of("name", "team", "description", "online", "keys", "sources", "aggregations", "streaming");
  private static final Set<String> SOURCE_KINDS = Set.of("events");
  private static final Set<String> EVENT_FIELDS = Set.of("table", "parquet", "topic", "schema", "query");
  private static final Set<String> QUERY_FIELDS = Set.of("selects", "wheres", "timeColumn");
  private static final Set<String> AGG_FIELDS = Set.of("inputColumn", "operation", "windows", "buckets", "args");
  private static final Set<String> STREAMING_FIELDS = Set.of("watermarkDelay", "allowedLateness");

  private final List<Problem> problems = new ArrayList<>();
  private final TreeReader tree = new TreeReader(problems);

  private GroupByReader() {}

  public static ParseResult read(String text, Format format) {
    return new GroupByReader().readDocument(text, format);
  }

  /** JSON when the text starts with '{', YAML otherwise (YAML is a superset of JSON anyway). */
  public static ParseResult read(String text) {
    return read(text, Format.AUTO);
  }

  /** Reads a tree that was already parsed, e.g. a JSON request body. */
  public static ParseResult read(JsonNode root) {
    return new GroupByReader().readRoot(root);
  }

  private ParseResult readDocument(String text, Format format) {
    JsonNode root = tree.parse(text, format);
    return root == null ? new ParseResult(null, problems, new DocumentPaths(List.of(), List.of())) : readRoot(root);
  }

  private ParseResult failed(String path, String message) {
    problems.add(new Problem(path, message));
    return new ParseResult(null, problems, new DocumentPaths(List.of(), List.of()));
  }

  private ParseResult readRoot(JsonNode root) {
    if (root == null || !root.isObject()) {
      return failed("$", "a GroupBy must be an object with name, keys, sources and aggregations");
    }
    tree.unknownFields(root, "$", ROOT_FIELDS);
    String name = tree.requiredString(root, "$", "name");
    String team = tree.optionalString(root, "$", "team");
    String description = tree.optionalString(root, "$", "description");
    boolean online = tree.optionalBoolean(root, "$", "online");
    List<String> keys = tree.stringList(root, "$", "keys", true);

    List<Source> sources = new ArrayList<>();
    List<Integer> sourceIndex = new ArrayList<>();
    JsonNode sourcesNode = root.get("sources");
    if (sourcesNode == null || sourcesNode.isNull()) {
      problems.add(new Problem("$.sources", "at least one source is required"));
    } else if (!sourcesNode.isArray()) {
      problems.add(new Problem("$.sources", "must be a list of sources, e.g. [{events: {...}}]"));
    } else {
      for (int i = 0; i < sourcesNode.size(); i++) {
        Source s = readSource(sourcesNode.get(i), "$.sources[" + i + "]");
        if (s != null) {
          sources.add(s);
          sourceIndex.add(i);
        }
      }
    }

    List<Aggregation> aggregations = new ArrayList<>();
    List<Integer> aggregationIndex = new ArrayList<>();
    List<List<Integer>> windowIndex = new ArrayList<>();
    JsonNode aggs = root.get("aggregations");
    if (aggs == null || aggs.isNull()) {
      problems.add(new Problem("$.aggregations", "at least one aggregation is required"));
    } else if (!aggs.isArray()) {
      problems.add(new Problem("$.aggregations", "must be a list of aggregations"));
    } else {
      for (int i = 0; i < aggs.size(); i++) {
        List<Integer> windowsAt = new ArrayList<>();
        Aggregation a = readAggregation(aggs.get(i), "$.aggregations[" + i + "]", windowsAt);
        if (a != null) {
          aggregations.add(a);
          aggregationIndex.add(i);
          windowIndex.add(windowsAt);
        }
      }
    }
    StreamingConfig streaming = readStreaming(root.get("streaming"));
    GroupBy groupBy = name == null ? null
        : new GroupBy(name, team, description, online, keys, sources, aggregations, streaming);
    return new ParseResult(groupBy, problems, new DocumentPaths(sourceIndex, aggregationIndex, windowIndex));
  }

  private Source readSource(JsonNode node, String path) {
    if (node == null || !node.isObject() || node.size() != 1) {
      problems.add(new Problem(path, "a source must be an object with exactly one kind, e.g. {events: {...}}"));
      return null;
    }
    String kind = node.propertyNames().iterator().next();
    if (!SOURCE_KINDS.contains(kind)) {
      problems.add(new Problem(path, "unknown source kind '" + kind + "' (expected: events)"));
      return null;
    }
    String p = path + ".events";
    JsonNode ev = node.get(kind);
    if (!ev.isObject()) {
      problems.add(new Problem(p, "must be an object with table (or parquet), topic, schema and query"));
      return null;
    }
    tree.unknownFields(ev, p, EVENT_FIELDS);
    String table = tree.optionalString(ev, p, "table");
    String parquet = tree.optionalString(ev, p, "parquet");
    String topic = tree.optionalString(ev, p, "topic");
    Map<String, DataType> schema = tree.schema(ev.get("schema"), p + ".schema");
    Query query = readQuery(ev.get("query"), p + ".query");
    return new EventSource(table, topic, schema, query, parquet);
  }

  private Query readQuery(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      problems.add(new Problem(path, "a query with at least timeColumn is required"));
      return new Query(Map.of(), List.of(), null);
    }
    if (!node.isObject()) {
      problems.add(new Problem(path, "must be an object with selects, wheres and timeColumn"));
      return new Query(Map.of(), List.of(), null);
    }
    tree.unknownFields(node, path, QUERY_FIELDS);
    Map<String, String> selects = new LinkedHashMap<>();
    JsonNode sel = node.get("selects");
    if (sel != null && !sel.isNull()) {
      if (!sel.isObject()) {
        problems.add(new Problem(path + ".selects", "must be an object of output column -> CEL expression"));
      } else {
        for (var e : sel.properties()) {
          if (e.getValue().isValueNode() && !e.getValue().isNull()) {
            selects.put(e.getKey(), e.getValue().asString());
          } else {
            problems.add(new Problem(DocumentPaths.child(path + ".selects", e.getKey()), "must be a CEL expression string"));
          }
        }
      }
    }
    List<String> wheres = tree.stringList(node, path, "wheres", false);
    String timeColumn = tree.optionalString(node, path, "timeColumn");
    return new Query(selects, wheres, timeColumn);
  }

  /** @param windowsAt receives the document index of each window that was read */
  private Aggregation readAggregation(JsonNode node, String path, List<Integer> windowsAt) {
    if (node == null || !node.isObject()) {
      problems.add(new Problem(path, "an aggregation must be an object with inputColumn and operation"));
      return null;
    }
    tree.unknownFields(node, path, AGG_FIELDS);
    String input = tree.requiredString(node, path, "inputColumn");
    String opName = tree.requiredString(node, path, "operation");
    Operation op = null;
    if (opName != null) {
      op = Operation.parse(opName).orElse(null);
      if (op == null) {
        problems.add(new Problem(path + ".operation", "unknown operation '" + opName + "' (expected one of " + Operation.allNames() + ")"));
      }
    }
    List<Window> windows = new ArrayList<>();
    List<Integer> specsAt = new ArrayList<>();
    List<String> specs = tree.stringList(node, path, "windows", false, specsAt);
    for (int i = 0; i < specs.size(); i++) {
      try {
        windows.add(Window.parse(specs.get(i)));
        windowsAt.add(specsAt.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path + ".windows[" + specsAt.get(i) + "]", e.getMessage()));
      }
    }
    List<String> buckets = tree.stringList(node, path, "buckets", false);
    Map<String, String> args = new LinkedHashMap<>();
    JsonNode argsNode = node.get("args");
    if (argsNode != null && !argsNode.isNull()) {
      if (!argsNode.isObject()) {
        problems.add(new Problem(path + ".args", "must be an object of name -> value, e.g. {k: \"5\"}"));
      } else {
        for (var e : argsNode.properties()) {
          if (e.getValue().isValueNode() && !e.getValue().isNull()) {
            args.put(e.getKey(), e.getValue().asString());
          } else {
            problems.add(new Problem(DocumentPaths.child(path + ".args", e.getKey()), "must be a single value"));
          }
        }
      }
    }
    return input == null || op == null ? null : new Aggregation(input, op, windows, buckets, args);
  }

  private StreamingConfig readStreaming(JsonNode node) {
    if (node == null || node.isNull()) {
      return StreamingConfig.DEFAULT;
    }
    if (!node.isObject()) {
      problems.add(new Problem("$.streaming", "must be an object with watermarkDelay and allowedLateness"));
      return StreamingConfig.DEFAULT;
    }
    tree.unknownFields(node, "$.streaming", STREAMING_FIELDS);
    Duration watermark = duration(node, "watermarkDelay", StreamingConfig.DEFAULT.watermarkDelay());
    Duration lateness = duration(node, "allowedLateness", StreamingConfig.DEFAULT.allowedLateness());
    return new StreamingConfig(watermark, lateness);
  }

  private Duration duration(JsonNode node, String field, Duration fallback) {
    String spec = tree.optionalString(node, "$.streaming", field);
    if (spec == null) return fallback;
    try {
      return DurationSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem("$.streaming." + field, e.getMessage()));
      return fallback;
    }
  }
}
