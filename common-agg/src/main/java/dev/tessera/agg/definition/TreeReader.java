package dev.tessera.agg.definition;

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
 * What the definition readers (GroupBy, Join) share: parsing JSON or YAML text strictly, and
 * reading fields of a tree while collecting every problem with its JSON path instead of throwing.
 * One instance per document read; not thread-safe.
 */
public final class TreeReader {
  /** A property written twice is an error, not "the last one wins": a second block would hide the first. */
  private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final List<Problem> problems;

  public TreeReader(List<Problem> problems) {
    this.problems = problems;
  }

  public List<Problem> problems() {
    return problems;
  }

  public void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  /**
   * The tree of a JSON or YAML text (AUTO: JSON when it starts with '{'), or null after reporting
   * at {@code $} why there is none.
   */
  public JsonNode parse(String text, GroupByReader.Format format) {
    if (text == null || text.isBlank()) {
      problem("$", "the definition is empty");
      return null;
    }
    GroupByReader.Format f = format != GroupByReader.Format.AUTO ? format
        : text.stripLeading().startsWith("{") ? GroupByReader.Format.JSON : GroupByReader.Format.YAML;
    try {
      return f == GroupByReader.Format.JSON ? JSON.readTree(text) : YAML.readTree(text);
    } catch (JacksonException e) {
      problem("$", "malformed " + f + ": " + e.getOriginalMessage() + locationOf(e));
      return null;
    }
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

  /** Reports every field of {@code node} that is not in {@code known}, with a hint at what was meant. */
  public void unknownFields(JsonNode node, String path, Set<String> known) {
    for (String f : node.propertyNames()) {
      if (!known.contains(f)) {
        String hint = suggestion(f, known).map(k -> " (did you mean '" + k + "'?)")
            .orElse(" (known fields: " + String.join(", ", known.stream().sorted().toList()) + ")");
        problem(DocumentPaths.child(path, f), "unknown field '" + f + "'" + hint);
      }
    }
  }

  /**
   * The known field {@code f} was probably meant to be: one that differs only in case, is a prefix
   * of it or has it as a prefix, or is at most two edits away; the closest wins, ties go to the
   * alphabetically first (so the hint does not depend on set iteration order).
   */
  static Optional<String> suggestion(String f, Set<String> known) {
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

  public String requiredString(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || (v.isString() && v.stringValue().isBlank())) {
      problem(path + "." + field, "is required");
      return null;
    }
    return scalar(v, path + "." + field);
  }

  public String optionalString(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : scalar(v, path + "." + field);
  }

  /** A scalar as text, or null after reporting that an object or list is not a string. */
  public String scalar(JsonNode v, String path) {
    if (!v.isValueNode()) {
      problem(path, "must be a string");
      return null;
    }
    return v.asString();
  }

  public boolean optionalBoolean(JsonNode node, String path, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return false;
    if (v.isBoolean()) return v.booleanValue();
    if (v.isString() && (v.stringValue().equalsIgnoreCase("true") || v.stringValue().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(v.stringValue());
    }
    problem(path + "." + field, "must be true or false");
    return false;
  }

  public List<String> stringList(JsonNode node, String path, String field, boolean required) {
    return stringList(node, path, field, required, new ArrayList<>());
  }

  /** @param indexOut receives the document index of each string returned */
  public List<String> stringList(JsonNode node, String path, String field, boolean required, List<Integer> indexOut) {
    JsonNode v = node.get(field);
    String p = path + "." + field;
    if (v == null || v.isNull()) {
      if (required) problem(p, "is required");
      return List.of();
    }
    if (v.isString()) {
      indexOut.add(0);
      return List.of(v.stringValue());
    }
    if (!v.isArray()) {
      problem(p, "must be a list of strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (e.isValueNode() && !e.isNull()) {
        out.add(e.asString());
        indexOut.add(i);
      } else {
        problem(p + "[" + i + "]", "must be a string");
      }
    }
    return out;
  }

  /** A schema (column -> type, in document order); the columns whose type cannot be read are left out. */
  public Map<String, DataType> schema(JsonNode node, String path) {
    Map<String, DataType> schema = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      problem(path, "a schema is required: column -> type, e.g. {user_id: STRING, ts: LONG}");
      return schema;
    }
    if (!node.isObject()) {
      problem(path, "must be an object of column -> type");
      return schema;
    }
    for (var e : node.properties()) {
      String p = DocumentPaths.child(path, e.getKey());
      if (!e.getValue().isString()) {
        problem(p, "a type must be a string such as STRING, LONG or LIST<DOUBLE>");
        continue;
      }
      try {
        schema.put(e.getKey(), DataType.parse(e.getValue().stringValue()));
      } catch (IllegalArgumentException ex) {
        problem(p, ex.getMessage());
      }
    }
    return schema;
  }
}
