package dev.tessera.stream.topology;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.codec.IrFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of row values inside this service's own topics (the repartition topic): a tag
 * byte, then the value. Values are what a compiled source produces (Long, Double, String, Boolean,
 * List, Map, null). Doubles travel as raw bits, so a row decodes to exactly the values it had and
 * the tile built from it is the tile the batch side builds from the same event.
 */
final class ValueCodec {
  private static final int NULL = 0, LONG = 1, DOUBLE = 2, STRING = 3, TRUE = 4, FALSE = 5, LIST = 6, MAP = 7;

  private ValueCodec() {}

  static void write(Object v, ByteSink out) {
    switch (v) {
      case null -> out.writeByte(NULL);
      case Long l -> out.writeByte(LONG).writeVarLong(l);
      case Integer i -> out.writeByte(LONG).writeVarLong(i);
      case Double d -> out.writeByte(DOUBLE).writeDouble(d);
      case Float f -> out.writeByte(DOUBLE).writeDouble(f);
      case String s -> out.writeByte(STRING).writeString(s);
      case Boolean b -> out.writeByte(b ? TRUE : FALSE);
      case List<?> list -> {
        out.writeByte(LIST).writeVarInt(list.size());
        for (Object e : list) write(e, out);
      }
      case Map<?, ?> map -> {
        out.writeByte(MAP).writeVarInt(map.size());
        for (var e : map.entrySet()) {
          out.writeString(String.valueOf(e.getKey()));
          write(e.getValue(), out);
        }
      }
      default -> throw new IllegalArgumentException("cannot carry a value of type " + v.getClass().getName());
    }
  }

  static Object read(ByteSource in) {
    int tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case LONG -> in.readVarLong();
      case DOUBLE -> in.readDouble();
      case STRING -> in.readString();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case LIST -> {
        int n = in.readCount(1);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(read(in));
        yield list;
      }
      case MAP -> {
        int n = in.readCount(2);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) map.put(in.readString(), read(in));
        yield map;
      }
      default -> throw new IrFormatException("unknown value tag " + tag);
    };
  }
}
