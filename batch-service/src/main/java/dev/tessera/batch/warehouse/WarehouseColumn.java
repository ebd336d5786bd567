package dev.tessera.batch.warehouse;

import java.util.Locale;

/** A column of an existing warehouse table as information_schema describes it. */
public record WarehouseColumn(String name, String typeName) {

  private String type() {
    return typeName.toLowerCase(Locale.ROOT);
  }

  public boolean isText() {
    String t = type();
    return t.equals("varchar") || t.equals("text") || t.startsWith("character") || t.equals("string");
  }

  public boolean isIntegral() {
    String t = type();
    return t.equals("bigint") || t.equals("integer") || t.equals("smallint") || t.equals("tinyint") || t.equals("hugeint")
        || t.equals("ubigint") || t.equals("uinteger") || t.equals("usmallint") || t.equals("utinyint") || t.equals("int8")
        || t.equals("int4") || t.equals("int2");
  }

  public boolean isTimestamp() {
    return type().startsWith("timestamp");
  }

  public boolean isFloating() {
    String t = type();
    return t.equals("double") || t.equals("float") || t.equals("real") || t.equals("double precision") || t.startsWith("decimal")
        || t.startsWith("numeric");
  }

  public boolean isBoolean() {
    return type().equals("boolean");
  }
}
