package dev.tessera.agg.expr;

import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DataType.ListType;
import dev.tessera.agg.definition.DataType.MapType;
import dev.tessera.agg.definition.DataType.Primitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a raw value (as parsed from JSON or read through JDBC) into the Java form of its schema
 * type, or explains why it cannot. Lossy conversions are refused: 2.5 is not a LONG.
 */
final class Coercion {
  private Coercion() {}

  static final class BadValue extends Exception {
    final Refusal refusal;

    BadValue(String message) {
      this(Refusal.BAD_VALUE, message);
    }

    BadValue(Refusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }
  }

  static Object coerce(Object raw, DataType type) throws BadValue {
    if (raw == null) return null;
    return switch (type) {
      case Primitive p -> primitive(raw, p);
      case ListType l -> list(raw, l);
      case MapType m -> map(raw, m);
    };
  }

  private static Object primitive(Object raw, Primitive p) throws BadValue {
    switch (p) {
      case STRING -> {
        if (raw instanceof String s) return s;
        if (raw instanceof Character c) return c.toString();
      }
      case INT, LONG -> {
        Long l = integral(raw);
        if (l != null) {
          if (p == Primitive.INT && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
            throw new BadValue("expected INT, got " + l + " (out of range)");
          }
          return l;
        }
      }
      case FLOAT, DOUBLE -> {
        if (raw instanceof Number n) {
          double d = n.doubleValue();
          // NaN and infinities (also a literal like 1e400, parsed as infinity) would poison every
          // sum, mean and comparison they reach, and JSON cannot carry them out again.
          if (!Double.isFinite(d)) throw new BadValue(Refusal.NON_FINITE, "expected a finite " + p + ", got " + describe(raw));
          return d;
        }
      }
      case BOOLEAN -> {
        if (raw instanceof Boolean b) return b;
      }
    }
    throw new BadValue("expected " + p + ", got " + describe(raw));
  }

  private static Long integral(Object raw) {
    return switch (raw) {
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case BigInteger b when b.bitLength() < 64 -> b.longValue();
      case BigDecimal d -> {
        try {
          yield d.longValueExact();
        } catch (ArithmeticException e) {
          yield null;
        }
      }
      case Double d when d == Math.rint(d) && Math.abs(d) < 9.0e15 -> (long) (double) d;
      default -> null;
    };
  }

  private static Object list(Object raw, ListType type) throws BadValue {
    if (!(raw instanceof List<?> in)) throw new BadValue("expected " + type.spec() + ", got " + describe(raw));
    List<Object> out = new ArrayList<>(in.size());
    for (Object e : in) out.add(coerce(e, type.element()));
    return out;
  }

  private static Object map(Object raw, MapType type) throws BadValue {
    if (!(raw instanceof Map<?, ?> in)) throw new BadValue("expected " + type.spec() + ", got " + describe(raw));
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : in.entrySet()) out.put(String.valueOf(e.getKey()), coerce(e.getValue(), type.value()));
    return out;
  }

  /** Whether a computed value (a select's result) holds no NaN or infinity, in lists and maps too. */
  static boolean finite(Object v) {
    return switch (v) {
      case Double d -> Double.isFinite(d);
      case Float f -> Float.isFinite(f);
      case List<?> l -> l.stream().allMatch(e -> e == null || finite(e));
      case Map<?, ?> m -> m.values().stream().allMatch(e -> e == null || finite(e));
      case null, default -> true;
    };
  }

  static String describe(Object raw) {
    String text = String.valueOf(raw);
    if (text.length() > 40) text = text.substring(0, 37) + "...";
    String kind = switch (raw) {
      case String s -> "a string";
      case Number n -> "a number";
      case Boolean b -> "a boolean";
      case List<?> l -> "a list";
      case Map<?, ?> m -> "an object";
      default -> "a " + raw.getClass().getSimpleName();
    };
    return kind + " (" + (raw instanceof String ? "\"" + text + "\"" : text) + ")";
  }
}
