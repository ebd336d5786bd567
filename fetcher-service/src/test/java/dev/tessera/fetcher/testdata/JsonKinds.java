package dev.tessera.fetcher.testdata;

import dev.tessera.agg.definition.DataType;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Served numbers keep their kind (README "REST API"): what the reference vector ITs check of every value. */
public final class JsonKinds {
  private JsonKinds() {}

  /** LONG/INT values must be JSON integers and FLOAT/DOUBLE values JSON floats, also inside lists and maps. */
  public static void check(JsonNode value, DataType type, String where, List<String> failures) {
    if (value == null || value.isNull()) return;
    switch (type) {
      case DataType.ListType l -> value.values().forEach(e -> check(e, l.element(), where + "[]", failures));
      case DataType.MapType m -> value.properties().forEach(e -> check(e.getValue(), m.value(), where + "." + e.getKey(), failures));
      case DataType.Primitive p when p.isIntegral() -> {
        if (!value.isIntegralNumber()) failures.add(where + " is " + type.spec() + " but JSON " + value + " is not an integer");
      }
      case DataType.Primitive p when p.isNumeric() -> {
        if (!value.isFloatingPointNumber()) failures.add(where + " is " + type.spec() + " but JSON " + value + " is not a float");
      }
      default -> {}
    }
  }
}
