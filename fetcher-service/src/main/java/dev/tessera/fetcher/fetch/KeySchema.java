package dev.tessera.fetcher.fetch;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Turns request keys into {@link EntityKey}s, checked against the key columns of a GroupBy: every
 * key name present, no other, each of its column's type. A JSON body is strict: a STRING key must
 * be a JSON string ({@code {"user_id": 123}} for a STRING key is a 400, not a silent coercion,
 * because {@code 123}, {@code 123.0} and {@code "0123"} would look up different entities and a
 * miss answers with empty features, which a caller cannot tell from a real entity without data).
 * Query parameters are text, so there the text is parsed as the column's type.
 */
public final class KeySchema {
  /** Problems reported at most per request: enough to fix a systematic mistake, short enough to read. */
  static final int MAX_PROBLEMS = 20;

  private final String groupBy;
  private final List<String> names;
  private final DataType[] types;

  public KeySchema(CompiledGroupBy groupBy) {
    this.groupBy = groupBy.name();
    this.names = List.copyOf(groupBy.keyNames());
    this.types = new DataType[names.size()];
    for (int i = 0; i < types.length; i++) types[i] = groupBy.keyType(i);
  }

  public List<String> names() {
    return names;
  }

  /** Key name -> type spec, for messages and the API description. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < types.length; i++) m.put(names.get(i), types[i].spec());
    return m;
  }

  /**
   * The keys of a POST body: a JSON array of key objects.
   *
   * @throws InvalidRequestException naming every bad key (up to {@value #MAX_PROBLEMS}) with its JSON path
   */
  public List<EntityKey> fromJsonArray(JsonNode body, int maxKeys) {
    if (body == null || !body.isArray()) {
      throw InvalidRequestException.malformedBody("expected a JSON array of key objects such as [" + example() + "], got "
          + kindOf(body), groupBy);
    }
    if (body.size() > maxKeys) throw InvalidRequestException.tooManyKeys(body.size(), maxKeys, groupBy);
    List<EntityKey> keys = new ArrayList<>(body.size());
    Problems problems = new Problems();
    for (int i = 0; i < body.size(); i++) {
      EntityKey key = fromJsonObject(body.get(i), "$[" + i + "]", problems);
      if (key != null) keys.add(key);
    }
    problems.throwIfAny(groupBy);
    return keys;
  }

  private EntityKey fromJsonObject(JsonNode node, String path, Problems problems) {
    if (node == null || !node.isObject()) {
      problems.add(path, "expected a key object such as " + example() + ", got " + kindOf(node));
      return null;
    }
    int before = problems.count;
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      JsonNode v = node.get(name);
      if (v == null || v.isMissingNode()) {
        problems.add(path, "missing key '" + name + "' (" + types[i].spec() + "); this GroupBy's keys are " + describe());
      } else {
        values[i] = fromJsonValue(v, i, path + "." + name, problems);
      }
    }
    for (String given : node.propertyNames()) {
      if (!names.contains(given)) {
        problems.add(path + "." + given, "unknown key '" + given + "'; this GroupBy's keys are " + describe());
      }
    }
    return problems.count == before ? entityKey(values) : null;
  }

  private Object fromJsonValue(JsonNode v, int i, String path, Problems problems) {
    DataType type = types[i];
    if (v.isNull()) {
      problems.add(path, "is null; a key needs a value");
      return null;
    }
    if (type == DataType.Primitive.STRING) {
      if (v.isString()) return v.stringValue();
      problems.add(path, "must be a JSON string (key type STRING), got " + kindOf(v)
          + (v.isNumber() ? "; send it quoted, e.g. \"" + v.asString() + "\"" : ""));
      return null;
    }
    if (type == DataType.Primitive.LONG || type == DataType.Primitive.INT) {
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        long l = v.longValue();
        if (type == DataType.Primitive.INT && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
          problems.add(path, "is out of the INT range: " + l);
          return null;
        }
        return l;
      }
      problems.add(path, "must be a JSON integer (key type " + type.spec() + "), got " + kindOf(v));
      return null;
    }
    if (type == DataType.Primitive.BOOLEAN) {
      if (v.isBoolean()) return v.booleanValue();
      problems.add(path, "must be true or false (key type BOOLEAN), got " + kindOf(v));
      return null;
    }
    // the compiler allows STRING, INT, LONG and BOOLEAN keys only
    problems.add(path, "keys of type " + type.spec() + " cannot be fetched");
    return null;
  }

  /**
   * The key of a GET: one query parameter per key column (other parameters must have been removed).
   *
   * @throws InvalidRequestException naming every missing, unknown, repeated or unparsable parameter
   */
  public EntityKey fromQuery(Map<String, List<String>> params) {
    Problems problems = new Problems();
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      List<String> given = params.get(name);
      if (given == null || given.isEmpty()) {
        problems.add(name, "missing query parameter '" + name + "' (" + types[i].spec() + "); this GroupBy's keys are " + describe());
      } else if (given.size() > 1) {
        problems.add(name, "given " + given.size() + " times; one key per GET (POST a list for several)");
      } else {
        values[i] = fromText(given.getFirst(), i, name, problems);
      }
    }
    for (String p : params.keySet()) {
      if (!names.contains(p)) problems.add(p, "unknown parameter '" + p + "'; this GroupBy's keys are " + describe() + " (and atMillis)");
    }
    problems.throwIfAny(groupBy);
    return entityKey(values);
  }

  private Object fromText(String text, int i, String name, Problems problems) {
    DataType type = types[i];
    try {
      if (type == DataType.Primitive.STRING) return text;
      if (type == DataType.Primitive.LONG) return Long.parseLong(text);
      if (type == DataType.Primitive.INT) return (long) Integer.parseInt(text);
      if (type == DataType.Primitive.BOOLEAN && (text.equals("true") || text.equals("false"))) return Boolean.parseBoolean(text);
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name, "'" + text + "' is not a " + type.spec());
    return null;
  }

  private EntityKey entityKey(Object[] values) {
    Map<String, Object> byName = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) byName.put(names.get(i), values[i]);
    return new EntityKey(Arrays.asList(values), byName);
  }

  private String example() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < types.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append('"').append(names.get(i)).append("\": ").append(switch (types[i]) {
        case DataType.Primitive p when p == DataType.Primitive.STRING -> "\"123\"";
        case DataType.Primitive p when p == DataType.Primitive.BOOLEAN -> "true";
        default -> "123";
      });
    }
    return sb.append('}').toString();
  }

  private static String kindOf(JsonNode n) {
    if (n == null || n.isMissingNode()) return "nothing";
    if (n.isNull()) return "null";
    if (n.isString()) return "a string";
    if (n.isIntegralNumber()) return "an integer (" + n.asString() + ")";
    if (n.isNumber()) return "a number (" + n.asString() + ")";
    if (n.isBoolean()) return "a boolean";
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** Collects up to {@value #MAX_PROBLEMS} problems and counts the rest. */
  private static final class Problems {
    final List<InvalidRequestException.Problem> list = new ArrayList<>();
    int count;

    void add(String path, String message) {
      count++;
      if (list.size() < MAX_PROBLEMS) list.add(new InvalidRequestException.Problem(path, message));
    }

    void throwIfAny(String groupBy) {
      if (count > 0) throw InvalidRequestException.invalidKeys(list, count, groupBy);
    }
  }
}
