package dev.tessera.agg.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.JacksonYAMLParseException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a GroupBy from JSON or YAML (the same fields, DESIGN.md). It never throws on bad input:
 * every problem it can see is reported with its JSON path, and as much of the definition as can be
 * understood is kept so that the compiler can report the semantic problems too.
 */
public final class GroupByReader {

  public enum Format { JSON, YAML, AUTO }

  /** A property written twice is an error, not "the last one wins": a second aggregations block would hide the first. */
  private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final Set<String> ROOT_FIELDS =
      Set.of("name", "team", "description", "online", "keys", "sources", "aggregations", "streaming");
  private static final Set<String> SOURCE_KINDS = Set.of("events");
  private static final Set<String> EVENT_FIELDS = Set.of("table", "topic", "schema", "query");
  private static final Set<String> QUERY_FIELDS = Set.of("selects", "wheres", "timeColumn");
  private static final Set<String> AGG_FIELDS = Set.of("inputColumn", "operation", "windows", "buckets", "args");
  private static final Set<String> STREAMING_FIELDS = Set.of("watermarkDelay", "allowedLateness");

  private final List<Problem> problems = new ArrayList<>();

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
    if (text == null || text.isBlank()) {
      return failed("$", "the definition is empty");
    }
    Format f = format != Format.AUTO ? format : text.stripLeading().startsWith("{") ? Format.JSON : Format.YAML;
    JsonNode root;
    try {
      root = f == Format.JSON ? JSON.readTree(text) : YAML.readTree(text);
    } catch (JacksonException e) {
      return failed("$", "malformed " + f + ": " + e.getOriginalMessage() + locationOf(e));
    }
    return readRoot(root);
  }

  private static String locationOf(JacksonException e) {
    if (e instanceof JacksonYAMLParseException) {
      // the YAML parser's own message already points at the problem ("in reader, line 3, column 3");
      // Jackson's location is where it was before, which would only mislead
      return "";
    }
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private ParseResult failed(String path, String message) {
    problems.add(new Problem(path, message));
    return new ParseResult(null, problems, new DocumentPaths(List.of(), List.of()));
  }

  private ParseResult readRoot(JsonNode root) {
    if (root == null || !root.isObject()) {
      return failed("$", "a GroupBy must be an object with name, keys, sources and aggregations");
    }
    unknownFields(root, "$", ROOT_FIELDS);
    String name = requiredString(root, "$", "name");
    String team = optionalString(root, "$", "team");
    String description = optionalString(root, "$", "description");
    boolean online = optionalBoolean(root, "$", "online");
    List<String> keys = stringList(root, "$", "keys", true);

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
      problems.add(new Problem(p, "must be an object with table, topic, schema and query"));
      return null;
    }
    unknownFields(ev, p, EVENT_FIELDS);
    String table = optionalString(ev, p, "table");
    String topic = optionalString(ev, p, "topic");
    Map<String, DataType> schema = readSchema(ev.get("schema"), p + ".schema");
    Query query = readQuery(ev.get("query"), p + ".query");
    return new EventSource(table, topic, schema, query);
  }

  private Map<String, DataType> readSchema(JsonNode node, String path) {
    Map<String, DataType> schema = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      problems.add(new Problem(path, "a schema is required: column -> type, e.g. {user_id: STRING, ts: LONG}"));
      return schema;
    }
    if (!node.isObject()) {
      problems.add(new Problem(path, "must be an object of column -> type"));
      return schema;
    }
    for (var e : node.properties()) {
      String p = DocumentPaths.child(path, e.getKey());
      if (!e.getValue().isString()) {
        problems.add(new Problem(p, "a type must be a string such as STRING, LONG or LIST<DOUBLE>"));
        continue;
      }
      try {
        schema.put(e.getKey(), DataType.parse(e.getValue().stringValue()));
      } catch (IllegalArgumentException ex) {
        problems.add(new Problem(p, ex.getMessage()));
      }
    }
    return schema;
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
    unknownFields(node, path, QUERY_FIELDS);
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
    List<String> wheres = stringList(node, path, "wheres", false);
    String timeColumn = optionalString(node, path, "timeColumn");
    return new Query(selects, wheres, timeColumn);
  }

  /** @param windowsAt receives the document index of each window that was read */
  private Aggregation readAggregation(JsonNode node, String path, List<Integer> windowsAt) {
    if (node == null || !node.isObject()) {
      problems.add(new Problem(path, "an aggregation must be an object with inputColumn and operation"));
      return null;
    }
    unknownFields(node, path, AGG_FIELDS);
    String input = requiredString(node, path, "inputColumn");
    String opName = requiredString(node, path, "operation");
    Operation op = null;
    if (opName != null) {
      op = Operation.parse(opName).orElse(null);
      if (op == null) {
        problems.add(new Problem(path + ".operation", "unknown operation '" + opName + "' (expected one of " + Operation.allNames() + ")"));
      }
    }
    List<Window> windows = new ArrayList<>();
    List<Integer> specsAt = new ArrayList<>();
    List<String> specs = stringList(node, path, "windows", false, specsAt);
    for (int i = 0; i < specs.size(); i++) {
      try {
        windows.add(Window.parse(specs.get(i)));
        windowsAt.add(specsAt.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path + ".windows[" + specsAt.get(i) + "]", e.getMessage()));
      }
    }
    List<String> buckets = stringList(node, path, "buckets", false);
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
    unknownFields(node, "$.streaming", STREAMING_FIELDS);
    Duration watermark = duration(node, "watermarkDelay", StreamingConfig.DEFAULT.watermarkDelay());
    Duration lateness = duration(node, "allowedLateness", StreamingConfig.DEFAULT.allowedLateness());
    return new StreamingConfig(watermark, lateness);
  }

  private Duration duration(JsonNode node, String field, Duration fallback) {
    String spec = optionalString(node, "$.streaming", field);
    if (spec == null) return fallback;
    try {
      return DurationSpec.parse(spec);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem("$.streaming." + field, e.getMessage()));
      return fallback;
    }
  }

  private void unknownFields(JsonNode node, String path, Set<String> known) {
    for (String f : node.propertyNames()) {
      if (!known.contains(f)) {
        String hint = suggestion(f, known).map(k -> " (did you mean '" + k + "'?)")
            .orElse(" (known fields: " + String.join(", ", known.stream().sorted().toList()) + ")");
        problems.add(new Problem(DocumentPaths.child(path, f), "unknown field '" + f + "'" + hint));
      }
    }
  }

  /**
   * The known field {@code f} was probably meant to be: one that differs only in case, is a prefix
   * of it or has it as a prefix, or is at most two edits away; the closest wins, ties go to the
   * alphabetically first (so the hint does not depend on set iteration order).
   */
  private static Optional<String> suggestion(String f, Set<String> known) {
    String lf = f.toLowerCase(Locale.ROOT);
    return known.stream().sorted()
        .filter(k -> {
          String lk = k.toLowerCase(Locale.ROOT);
          return lk.startsWith(lf) || lf.startsWith(lk) || editDistance(lk, lf) <= 2;
        })
        .min(Comparator.comparingInt(k -> editDistance(k.toLowerCase(Locale.ROOT), lf)));
  }

  /** Levenshtein distance. */
  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private String requiredString(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || (v.isString() && v.stringValue().isBlank())) {
      problems.add(new Problem(path + "." + field, "is required"));
      return null;
    }
    return scalar(v, path + "." + field);
  }

  private String optionalString(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : scalar(v, path + "." + field);
  }

  private String scalar(JsonNode v, String path) {
    if (!v.isValueNode()) {
      problems.add(new Problem(path, "must be a string"));
      return null;
    }
    return v.asString();
  }

  private boolean optionalBoolean(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return false;
    if (v.isBoolean()) return v.booleanValue();
    if (v.isString() && (v.stringValue().equalsIgnoreCase("true") || v.stringValue().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(v.stringValue());
    }
    problems.add(new Problem(path + "." + field, "must be true or false"));
    return false;
  }

  private List<String> stringList(JsonNode node, String path, String field, boolean required) {
    return stringList(node, path, field, required, new ArrayList<>());
  }

  /** @param indexOut receives the document index of each string returned */
  private List<String> stringList(JsonNode node, String path, String field, boolean required, List<Integer> indexOut) {
    JsonNode v = node.get(field);
    String p = path + "." + field;
    if (v == null || v.isNull()) {
      if (required) problems.add(new Problem(p, "is required"));
      return List.of();
    }
    if (v.isString()) {
      indexOut.add(0);
      return List.of(v.stringValue());
    }
    if (!v.isArray()) {
      problems.add(new Problem(p, "must be a list of strings"));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (e.isValueNode() && !e.isNull()) {
        out.add(e.asString());
        indexOut.add(i);
      } else {
        problems.add(new Problem(p + "[" + i + "]", "must be a string"));
      }
    }
    return out;
  }
}
