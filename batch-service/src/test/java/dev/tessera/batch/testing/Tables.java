package dev.tessera.batch.testing;

import dev.tessera.batch.read.JdbcValues;
import dev.tessera.batch.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers to create and fill warehouse tables and read them back as maps. */
public final class Tables {
  private Tables() {}

  public static void execute(Warehouse w, String sql) {
    try (Connection c = w.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Inserts rows of named values (absent keys are null) with a prepared statement per row batch. */
  public static void insert(Warehouse w, String table, List<String> columns, List<Map<String, Object>> rows) {
    String sql = "INSERT INTO " + table + " (" + String.join(", ", columns.stream().map(c -> '"' + c + '"').toList()) + ") VALUES ("
        + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
    try (Connection c = w.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Map<String, Object> row : rows) {
          for (int i = 0; i < columns.size(); i++) ps.setObject(i + 1, row.get(columns.get(i)));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The generator's purchases table: the schema of EventGenerator.SCHEMA_YAML. */
  public static void createPurchases(Warehouse w, String table) {
    String text = w.dialect().name().equals("duckdb") ? "VARCHAR" : "TEXT";
    String dbl = w.dialect().name().equals("duckdb") ? "DOUBLE" : "DOUBLE PRECISION";
    execute(w, "CREATE TABLE " + table + " (user_id " + text + ", merchant " + text + ", amount " + dbl + ", qty BIGINT, currency "
        + text + ", ts BIGINT)");
  }

  public static List<Map<String, Object>> query(Warehouse w, String sql) {
    try (Connection c = w.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getObject(i));
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public static long count(Warehouse w, String sql) {
    return ((Number) query(w, sql).getFirst().values().iterator().next()).longValue();
  }

  /** A feature value read back: JSON text of lists and maps parsed, integral numbers as Long. */
  public static Object featureValue(Object v) {
    if (v == null) return null;
    if (v instanceof String s && (s.startsWith("[") || s.startsWith("{"))) return JdbcValues.toJava(tools.jackson.databind.json.JsonMapper.builder().build().readTree(s));
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Float f) return (double) f;
    if (v instanceof java.math.BigDecimal d) return d.doubleValue();
    if (!(v instanceof String) && v.getClass().getName().equals("org.postgresql.util.PGobject")) return featureValue(v.toString());
    return v;
  }
}
