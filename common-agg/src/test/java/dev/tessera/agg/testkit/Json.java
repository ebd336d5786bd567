package dev.tessera.agg.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON trees as the plain Java values the platform uses: Long for integers, Double for floats. */
public final class Json {
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  public static Object toJava(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (n.isIntegralNumber()) return n.asLong();
    if (n.isNumber()) return n.asDouble();
    if (n.isString()) return n.stringValue();
    if (n.isBoolean()) return n.booleanValue();
    if (n.isArray()) {
      List<Object> out = new ArrayList<>();
      n.values().forEach(e -> out.add(toJava(e)));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    n.properties().forEach(e -> out.put(e.getKey(), toJava(e.getValue())));
    return out;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode n) {
    return (Map<String, Object>) toJava(n);
  }
}
