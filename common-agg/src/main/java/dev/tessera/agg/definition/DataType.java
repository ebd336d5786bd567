package dev.tessera.agg.definition;

import java.util.Locale;

/**
 * A column type of a source schema or of a selected column: a primitive, {@code LIST<T>} or
 * {@code MAP<STRING,T>}. Values of these types are carried as Java objects: STRING as
 * {@link String}, INT and LONG as {@link Long}, FLOAT and DOUBLE as {@link Double}, BOOLEAN as
 * {@link Boolean}, LIST as {@link java.util.List} and MAP as {@link java.util.Map}.
 */
public sealed interface DataType permits DataType.Primitive, DataType.ListType, DataType.MapType {

  /** The text form used in definitions, e.g. {@code LIST<STRING>}. */
  String spec();

  default boolean isNumeric() {
    return this instanceof Primitive p && p.numeric;
  }

  default boolean isIntegral() {
    return this == Primitive.INT || this == Primitive.LONG;
  }

  default boolean isPrimitive() {
    return this instanceof Primitive;
  }

  enum Primitive implements DataType {
    STRING(false), INT(true), LONG(true), FLOAT(true), DOUBLE(true), BOOLEAN(false);

    private final boolean numeric;

    Primitive(boolean numeric) {
      this.numeric = numeric;
    }

    @Override
    public String spec() {
      return name();
    }
  }

  record ListType(DataType element) implements DataType {
    public ListType {
      java.util.Objects.requireNonNull(element, "element");
    }

    @Override
    public String spec() {
      return "LIST<" + element.spec() + ">";
    }
  }

  /** Map keys are always strings (JSON object keys). */
  record MapType(DataType value) implements DataType {
    public MapType {
      java.util.Objects.requireNonNull(value, "value");
    }

    @Override
    public String spec() {
      return "MAP<STRING," + value.spec() + ">";
    }
  }

  /**
   * Parses a type spec such as {@code DOUBLE}, {@code list<string>} or {@code MAP<STRING, LONG>}.
   *
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  static DataType parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("a type is required (one of STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, LIST<T>, MAP<STRING,T>)");
    }
    String s = spec.replace(" ", "").toUpperCase(Locale.ROOT);
    if (s.startsWith("LIST<") && s.endsWith(">")) {
      return new ListType(parse(s.substring(5, s.length() - 1)));
    }
    if (s.startsWith("MAP<") && s.endsWith(">")) {
      String inner = s.substring(4, s.length() - 1);
      int comma = topLevelComma(inner);
      if (comma < 0) {
        throw new IllegalArgumentException("'" + spec + "': a map type needs a key and a value type, e.g. MAP<STRING,LONG>");
      }
      if (!inner.substring(0, comma).equals("STRING")) {
        throw new IllegalArgumentException("'" + spec + "': map keys must be STRING");
      }
      return new MapType(parse(inner.substring(comma + 1)));
    }
    try {
      return Primitive.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown type '" + spec
          + "' (expected one of STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, LIST<T>, MAP<STRING,T>)");
    }
  }

  private static int topLevelComma(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<') depth++;
      else if (c == '>') depth--;
      else if (c == ',' && depth == 0) return i;
    }
    return -1;
  }
}
