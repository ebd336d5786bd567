package dev.tessera.batch.read;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The order of entity keys, identical to the warehouse's ORDER BY on the key columns: strings by
 * code point (DuckDB's binary collation, PostgreSQL's {@code COLLATE "C"}; not Java's UTF-16
 * {@code compareTo}, which differs above U+FFFF), numbers numerically, false before true, nulls last.
 * Streams of several sources and the left table of a training set are merged by this order.
 */
public final class KeyOrder {
  private KeyOrder() {}

  public static int compare(List<?> a, List<?> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compareValues(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  public static int compareValues(Object x, Object y) {
    if (x == y) return 0;
    if (x == null) return 1;
    if (y == null) return -1;
    if (x instanceof String s && y instanceof String t) return compareStrings(s, t);
    if (x instanceof Long l && y instanceof Long m) return Long.compare(l, m);
    if (x instanceof Number l && y instanceof Number m) return Double.compare(l.doubleValue(), m.doubleValue());
    if (x instanceof Boolean l && y instanceof Boolean m) return Boolean.compare(l, m);
    // Different kinds never meet when key types are checked up front; order them stably anyway.
    int c = x.getClass().getName().compareTo(y.getClass().getName());
    return c != 0 ? c : String.valueOf(x).compareTo(String.valueOf(y));
  }

  /** Code point order, with UTF-16 {@code compareTo}'s speed whenever no surrogate decides. */
  static int compareStrings(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char c = a.charAt(i);
      char d = b.charAt(i);
      if (c != d) {
        if (Character.isSurrogate(c) || Character.isSurrogate(d)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Character.compare(c, d);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /**
   * Fails when the warehouse hands out a key group before an earlier one: the merge would then
   * split an entity in two and silently double its output. Costs one comparison per entity.
   *
   * @param source what the rows come from (its text only on failure: this runs once per entity)
   * @throws IllegalStateException naming the keys
   */
  public static void checkAscending(List<?> previous, List<?> next, Object source) {
    if (compare(previous, next) >= 0) {
      throw new IllegalStateException("rows of " + source + " came out of key order (" + next + " after " + previous + "): the"
          + " warehouse must order strings by code point (PostgreSQL: COLLATE \"C\"; DuckDB: keep preserve_insertion_order on)");
    }
  }

  /** A key value read through JDBC in the form rows carry: integral numbers as Long, floating as Double. */
  public static Object normalize(Object v) {
    return switch (v) {
      case null -> null;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case BigInteger b when b.bitLength() < 64 -> b.longValue();
      case BigDecimal d -> {
        try {
          yield d.longValueExact();
        } catch (ArithmeticException e) {
          yield d.doubleValue();
        }
      }
      case Float f -> (double) f;
      case Character c -> c.toString();
      default -> v;
    };
  }

  public static List<Object> normalize(List<?> key) {
    List<Object> out = new ArrayList<>(key.size());
    for (Object v : key) out.add(normalize(v));
    return out;
  }
}
