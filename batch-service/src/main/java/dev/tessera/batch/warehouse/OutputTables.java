package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Creating, checking and clearing the tables the jobs write. */
public final class OutputTables {
  private OutputTables() {}

  /**
   * Creates {@code table} with {@code columns}, or checks that the existing one has them all.
   *
   * @throws WarehouseException naming the missing columns when an existing table does not fit
   */
  public static void createOrVerify(Warehouse w, TableName table, List<OutColumn> columns) {
    List<WarehouseColumn> existing = w.columns(table);
    if (existing.isEmpty()) {
      SqlDialect d = w.dialect();
      String defs = columns.stream().map(c -> d.quote(c.name()) + " " + d.type(c.kind())).collect(Collectors.joining(", "));
      w.execute("CREATE TABLE IF NOT EXISTS " + d.table(table) + " (" + defs + ")");
      return;
    }
    Set<String> have = existing.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> missing = columns.stream().map(OutColumn::name).filter(n -> !have.contains(n.toLowerCase(Locale.ROOT))).toList();
    if (!missing.isEmpty()) {
      throw new WarehouseException("table " + table + " exists but lacks the columns " + missing
          + " (it holds " + existing.stream().map(WarehouseColumn::name).toList() + "); drop or rename it, or write elsewhere");
    }
  }

  /** Records what produced a table (GroupBy, version, job) in the table's comment. */
  public static void comment(Warehouse w, TableName table, String text) {
    w.execute("COMMENT ON TABLE " + w.dialect().table(table) + " IS '" + text.replace("'", "''") + "'");
  }

  /**
   * Deletes one partition's rows, in the caller's transaction: those matching {@code where} whose key
   * hashes to {@code partition}, and (when {@code afterKey} is given) whose key sorts after it.
   *
   * @param keyColumns the key columns of {@code table}
   * @param textKeys whether each key column holds text (for the collation)
   * @return the rows deleted
   */
  public static long deleteSlice(Connection c, SqlDialect d, TableName table, List<String> keyColumns, List<Boolean> textKeys,
      int partition, int partitions, String where, List<Object> whereParams, List<Object> afterKey) throws SQLException {
    List<String> conditions = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (where != null) {
      conditions.add(where);
      params.addAll(whereParams);
    }
    List<String> quoted = keyColumns.stream().map(d::quote).toList();
    if (partitions > 1) conditions.add(d.partitionOf(quoted, partitions) + " = " + partition);
    if (afterKey != null) {
      List<String> orderable = new ArrayList<>();
      for (int i = 0; i < quoted.size(); i++) orderable.add(d.orderable(quoted.get(i), textKeys.get(i)));
      String row = orderable.size() == 1 ? orderable.getFirst() : "(" + String.join(", ", orderable) + ")";
      String placeholders = quoted.size() == 1 ? "?" : "(" + quoted.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
      conditions.add(row + " > " + placeholders);
      params.addAll(afterKey);
    }
    String sql = "DELETE FROM " + d.table(table) + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
      return ps.executeUpdate();
    }
  }
}
