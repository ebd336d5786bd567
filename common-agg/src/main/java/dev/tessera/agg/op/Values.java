package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.codec.IrFormatException;

/** Ordering and encoding of the primitive values that IRs keep (Long, Double, String, Boolean). */
public final class Values {
  static final int NULL = 0, LONG = 1, DOUBLE = 2, STRING = 3, BOOLEAN = 4;

  private Values() {}

  /** Natural order of two values of the same column type; used for ties and for TOP_K/MIN/MAX. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) return Double.compare(x, y);
    if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
    if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
    return ((Comparable) a).compareTo(b);
  }

  public static void write(Object v, ByteSink out) {
    switch (v) {
      case null -> out.writeByte(NULL);
      case Long l -> out.writeByte(LONG).writeVarLong(l);
      case Double d -> out.writeByte(DOUBLE).writeDouble(d);
      case String s -> out.writeByte(STRING).writeString(s);
      case Boolean b -> out.writeByte(BOOLEAN).writeByte(b ? 1 : 0);
      default -> throw new IllegalArgumentException("cannot encode a " + v.getClass().getSimpleName() + " in an IR");
    }
  }

  public static Object read(ByteSource in) {
    return read(in.readByte(), in);
  }

  /** The value whose tag was already read. */
  static Object read(int tag, ByteSource in) {
    return switch (tag) {
      case NULL -> null;
      case LONG -> in.readVarLong();
      case DOUBLE -> in.readDouble();
      case STRING -> in.readString();
      case BOOLEAN -> in.readByte() != 0;
      default -> throw new IrFormatException("unknown value tag " + tag);
    };
  }

  /** The map key form of a value (JSON object keys are strings). */
  public static String key(Object v) {
    return String.valueOf(v);
  }

  public static double toDouble(Object v) {
    return ((Number) v).doubleValue();
  }
}
