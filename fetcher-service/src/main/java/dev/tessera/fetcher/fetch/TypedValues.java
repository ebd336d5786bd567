package dev.tessera.fetcher.fetch;

import dev.tessera.agg.definition.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Request values (entity keys, a Join's request fields) checked against their column type and
 * carried as rows carry them (DataType: STRING as String, INT and LONG as Long, FLOAT and DOUBLE as
 * Double, BOOLEAN as Boolean, LIST as List, MAP as Map). JSON is strict: a STRING must be a JSON
 * string ({@code 123}, {@code 123.0} and {@code "0123"} are different entities, so no silent
 * coercion) and an integer type a JSON integer; a FLOAT or DOUBLE takes any JSON number. Query
 * parameters are text, parsed as the column's type.
 */
public final class TypedValues {
  private TypedValues() {}

  /**
   * The value of a non-null JSON node as {@code type}, or null after adding a problem at {@code path}.
   *
   * @param role what the value is, in messages: "key" or "field"
   */
  public static Object fromJson(JsonNode v, DataType type, String role, String path, RequestProblems problems) {
    switch (type) {
      case DataType.Primitive p when p == DataType.Primitive.STRING -> {
        if (v.isString()) return v.stringValue();
        problems.add(path, "must be a JSON string (" + role + " type STRING), got " + kindOf(v)
            + (v.isNumber() ? "; send it quoted, e.g. \"" + v.asString() + "\"" : ""));
      }
      case DataType.Primitive p when p.isIntegral() -> {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
          long l = v.longValue();
          if (p == DataType.Primitive.INT && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
            problems.add(path, "is out of the INT range: " + l);
            return null;
          }
          return l;
        }
        problems.add(path, "must be a JSON integer (" + role + " type " + p.spec() + "), got " + kindOf(v));
      }
      case DataType.Primitive p when p.isNumeric() -> {
        if (v.isNumber()) return v.doubleValue();
        problems.add(path, "must be a JSON number (" + role + " type " + p.spec() + "), got " + kindOf(v));
      }
      case DataType.Primitive p -> {
        if (v.isBoolean()) return v.booleanValue();
        problems.add(path, "must be true or false (" + role + " type " + p.spec() + "), got " + kindOf(v));
      }
      case DataType.ListType l -> {
        if (v.isArray()) {
          List<Object> out = new ArrayList<>(v.size());
          for (int i = 0; i < v.size(); i++) out.add(element(v.get(i), l.element(), role, path + "[" + i + "]", problems));
          return out;
        }
        problems.add(path, "must be a JSON array (" + role + " type " + l.spec() + "), got " + kindOf(v));
      }
      case DataType.MapType m -> {
        if (v.isObject()) {
          Map<String, Object> out = new LinkedHashMap<>();
          for (var e : v.properties()) out.put(e.getKey(), element(e.getValue(), m.value(), role, path + "." + e.getKey(), problems));
          return out;
        }
        problems.add(path, "must be a JSON object (" + role + " type " + m.spec() + "), got " + kindOf(v));
      }
    }
    return null;
  }

  private static Object element(JsonNode v, DataType type, String role, String path, RequestProblems problems) {
    return v.isNull() ? null : fromJson(v, type, role, path, problems);
  }

  /** The value of a query parameter as {@code type}, or null after adding a problem under {@code name}. */
  public static Object fromText(String text, DataType type, String name, RequestProblems problems) {
    try {
      if (type == DataType.Primitive.STRING) return text;
      if (type == DataType.Primitive.LONG) return Long.parseLong(text);
      if (type == DataType.Primitive.INT) return (long) Integer.parseInt(text);
      if (type == DataType.Primitive.DOUBLE || type == DataType.Primitive.FLOAT) {
        double d = Double.parseDouble(text);
        // Double.parseDouble also takes "NaN", "Infinity" and "1d", which no JSON number is
        if (Double.isFinite(d) && !text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1))) return d;
      }
      if (type == DataType.Primitive.BOOLEAN && (text.equals("true") || text.equals("false"))) return Boolean.parseBoolean(text);
      if (!type.isPrimitive()) {
        problems.add(name, type.spec() + " values cannot be given as query parameters; POST them as JSON");
        return null;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name, "'" + text + "' is not a " + type.spec());
    return null;
  }

  /** A JSON example value of {@code type}, for messages. */
  public static String example(DataType type) {
    return switch (type) {
      case DataType.Primitive p when p == DataType.Primitive.STRING -> "\"123\"";
      case DataType.Primitive p when p == DataType.Primitive.BOOLEAN -> "true";
      case DataType.Primitive p when p.isIntegral() -> "123";
      case DataType.Primitive p -> "12.5";
      case DataType.ListType l -> "[]";
      case DataType.MapType m -> "{}";
    };
  }

  /** An example object of these fields, e.g. {@code {"user_id": "123"}}. */
  public static String example(List<String> names, DataType[] types) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < types.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append('"').append(names.get(i)).append("\": ").append(example(types[i]));
    }
    return sb.append('}').toString();
  }

  /** What a JSON node is, for messages. */
  public static String kindOf(JsonNode n) {
    if (n == null || n.isMissingNode()) return "nothing";
    if (n.isNull()) return "null";
    if (n.isString()) return "a string";
    if (n.isIntegralNumber()) return "an integer (" + n.asString() + ")";
    if (n.isNumber()) return "a number (" + n.asString() + ")";
    if (n.isBoolean()) return "a boolean";
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
