package dev.tessera.agg.join;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DocumentPaths;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.definition.TreeReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Join from JSON or YAML (DESIGN.md "Joins"). Never throws on bad input: every problem is
 * reported with its JSON path, and as much of the Join as can be understood is kept.
 */
public final class JoinReader {
  private static final Set<String> ROOT_FIELDS =
      Set.of("name", "team", "description", "online", "left", "parts", "request", "derivations");
  private static final Set<String> LEFT_FIELDS = Set.of("table", "parquet", "topic", "timeColumn", "schema");
  private static final Set<String> PART_FIELDS = Set.of("groupBy", "version", "keyMapping", "prefix");
  private static final Set<String> DERIVATION_FIELDS = Set.of("name", "expression");

  /** What {@link JoinCompiler} needs from a read: the result and where each element came from. */
  record Reading(JoinParseResult result, JoinPaths paths) {}

  private final List<Problem> problems = new ArrayList<>();
  private final TreeReader tree = new TreeReader(problems);

  private JoinReader() {}

  /** JSON when the text starts with '{', YAML otherwise. */
  public static JoinParseResult read(String text) {
    return reading(text).result();
  }

  /** Reads a tree that was already parsed, e.g. a JSON request body. */
  public static JoinParseResult read(JsonNode root) {
    return reading(root).result();
  }

  static Reading reading(String text) {
    JoinReader r = new JoinReader();
    JsonNode root = r.tree.parse(text, GroupByReader.Format.AUTO);
    return root == null ? r.failed() : r.readRoot(root);
  }

  static Reading reading(JsonNode root) {
    return new JoinReader().readRoot(root);
  }

  private Reading failed() {
    return new Reading(new JoinParseResult(null, problems), new JoinPaths(List.of(), List.of(), List.of()));
  }

  private Reading readRoot(JsonNode root) {
    if (root == null || !root.isObject()) {
      tree.problem("$", "a Join must be an object with name, left and parts");
      return failed();
    }
    tree.unknownFields(root, "$", ROOT_FIELDS);
    String name = tree.requiredString(root, "$", "name");
    String team = tree.optionalString(root, "$", "team");
    String description = tree.optionalString(root, "$", "description");
    boolean online = tree.optionalBoolean(root, "$", "online");
    LeftSource left = readLeft(root.get("left"));

    List<JoinPart> parts = new ArrayList<>();
    List<Integer> partIndex = new ArrayList<>();
    JsonNode partsNode = root.get("parts");
    if (partsNode == null || partsNode.isNull()) {
      tree.problem("$.parts", "at least one part is required: [{groupBy: ..., keyMapping: {left column: key}}]");
    } else if (!partsNode.isArray()) {
      tree.problem("$.parts", "must be a list of parts, e.g. [{groupBy: fraud_features, keyMapping: {buyer: user_id}}]");
    } else {
      for (int i = 0; i < partsNode.size(); i++) {
        JoinPart p = readPart(partsNode.get(i), "$.parts[" + i + "]");
        if (p != null) {
          parts.add(p);
          partIndex.add(i);
        }
      }
    }

    List<Integer> requestIndex = new ArrayList<>();
    List<String> request = tree.stringList(root, "$", "request", false, requestIndex);

    List<Derivation> derivations = new ArrayList<>();
    List<Integer> derivationIndex = new ArrayList<>();
    JsonNode derivationsNode = root.get("derivations");
    if (derivationsNode != null && !derivationsNode.isNull()) {
      if (!derivationsNode.isArray()) {
        tree.problem("$.derivations", "must be a list of {name, expression}");
      } else {
        for (int i = 0; i < derivationsNode.size(); i++) {
          Derivation d = readDerivation(derivationsNode.get(i), "$.derivations[" + i + "]");
          if (d != null) {
            derivations.add(d);
            derivationIndex.add(i);
          }
        }
      }
    }
    Join join = name == null ? null : new Join(name, team, description, online, left, parts, request, derivations);
    return new Reading(new JoinParseResult(join, problems), new JoinPaths(partIndex, requestIndex, derivationIndex));
  }

  private LeftSource readLeft(JsonNode node) {
    if (node == null || node.isNull()) {
      tree.problem("$.left", "is required: {table, timeColumn, schema}");
      return null;
    }
    if (!node.isObject()) {
      tree.problem("$.left", "must be an object with table, timeColumn and schema");
      return null;
    }
    tree.unknownFields(node, "$.left", LEFT_FIELDS);
    String table = tree.optionalString(node, "$.left", "table");
    String parquet = tree.optionalString(node, "$.left", "parquet");
    String topic = tree.optionalString(node, "$.left", "topic");
    String timeColumn = tree.optionalString(node, "$.left", "timeColumn");
    Map<String, DataType> schema = tree.schema(node.get("schema"), "$.left.schema");
    return new LeftSource(table, timeColumn, schema, parquet, topic);
  }

  private JoinPart readPart(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      tree.problem(path, "a part must be an object with groupBy and keyMapping");
      return null;
    }
    tree.unknownFields(node, path, PART_FIELDS);
    String groupBy = tree.requiredString(node, path, "groupBy");
    Integer version = readVersion(node.get("version"), path + ".version");
    Map<String, String> keyMapping = new LinkedHashMap<>();
    JsonNode km = node.get("keyMapping");
    String kp = path + ".keyMapping";
    if (km == null || km.isNull()) {
      tree.problem(kp, "is required: left column -> GroupBy key, e.g. {buyer: user_id}");
    } else if (!km.isObject()) {
      tree.problem(kp, "must be an object of left column -> GroupBy key");
    } else {
      for (var e : km.properties()) {
        JsonNode v = e.getValue();
        if (v.isString() && !v.stringValue().isBlank()) {
          keyMapping.put(e.getKey(), v.stringValue());
        } else {
          tree.problem(DocumentPaths.child(kp, e.getKey()), "must be the name of a key of the GroupBy");
        }
      }
    }
    String prefix = tree.optionalString(node, path, "prefix");
    return groupBy == null ? null : new JoinPart(groupBy, version, keyMapping, prefix);
  }

  private Integer readVersion(JsonNode v, String path) {
    if (v == null || v.isNull()) return null;
    if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 1) return v.intValue();
    if (v.isString() && v.stringValue().matches("[1-9][0-9]{0,8}")) return Integer.parseInt(v.stringValue());
    tree.problem(path, "must be a whole number >= 1 (leave it out to follow the live version)");
    return null;
  }

  private Derivation readDerivation(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      tree.problem(path, "a derivation must be an object {name, expression}");
      return null;
    }
    tree.unknownFields(node, path, DERIVATION_FIELDS);
    String name = tree.requiredString(node, path, "name");
    String expression = tree.requiredString(node, path, "expression");
    return name == null || expression == null ? null : new Derivation(name, expression);
  }
}
