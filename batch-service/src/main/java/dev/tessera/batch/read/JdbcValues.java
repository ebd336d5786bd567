package dev.tessera.batch.read;

import dev.tessera.agg.definition.DataType;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a warehouse value into the raw form the source's coercion expects: scalars as the driver
 * gives them; LIST and MAP columns from native arrays/maps or from JSON text (which is how ingest
 * lands them and how PostgreSQL returns JSONB). A value that is neither is passed on as it is, and
 * the coercion rejects it with a reason.
 */
public final class JdbcValues {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JdbcValues() {}

  public static Object read(ResultSet rs, int column, DataType type) throws SQLException {
    Object v = rs.getObject(column);
    if (v == null || type.isPrimitive()) return v;
    return structured(v);
  }

  static Object structured(Object v) throws SQLException {
    return switch (v) {
      case List<?> l -> l;
      case Map<?, ?> m -> m;
      case Array a -> toList(a.getArray());
      case Object[] arr -> toList(arr);
      default -> parseJson(v.toString(), v);
    };
  }

  private static Object toList(Object array) throws SQLException {
    if (!(array instanceof Object[] values)) return array;
    List<Object> out = new ArrayList<>(values.length);
    for (Object e : values) out.add(e instanceof Array || e instanceof Object[] ? structured(e) : e);
    return out;
  }

  private static Object parseJson(String text, Object original) {
    String t = text.strip();
    if (!(t.startsWith("[") || t.startsWith("{"))) return original;
    try {
      return toJava(JSON.readTree(t));
    } catch (JacksonException e) {
      return original;
    }
  }

  /** JSON as the Java values rows carry: Long for integers, Double for other numbers. */
  public static Object toJava(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
    if (n.isNumber()) return n.asDouble();
    if (n.isString()) return n.stringValue();
    if (n.isBoolean()) return n.booleanValue();
    if (n.isArray()) {
      List<Object> out = new ArrayList<>(n.size());
      n.values().forEach(e -> out.add(toJava(e)));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    n.properties().forEach(e -> out.put(e.getKey(), toJava(e.getValue())));
    return out;
  }

  /** A row's raw values for a report sample, cut to a readable length. */
  static String describe(List<String> names, Object[] raw) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < raw.length && i < names.size(); i++) {
      if (i > 0) sb.append(", ");
      Object v = raw[i];
      sb.append(names.get(i)).append('=').append(v instanceof Object[] a ? Arrays.toString(a) : v instanceof String s ? '"' + s + '"' : v);
      if (sb.length() > 500) return sb.substring(0, 497) + "...";
    }
    return sb.append('}').toString();
  }
}
