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

  /**
   * Adds {@code column} to {@code table} when the table exists without it: for a column a later
   * version of a writer appends (a table landed before keeps its rows; theirs are null).
   */
  public static void addIfMissing(Warehouse w, TableName table, OutColumn column) {
    List<WarehouseColumn> existing = w.columns(table);
    if (existing.isEmpty() || existing.stream().anyMatch(c -> c.name().equalsIgnoreCase(column.name()))) return;
    SqlDialect d = w.dialect();
    w.execute("ALTER TABLE " + d.table(table) + " ADD COLUMN " + d.quote(column.name()) + " " + d.type(column.kind()));
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
      conditions.add(after(d, quoted, textKeys));
      params.addAll(afterKey);
    }
    String sql = "DELETE FROM " + d.table(table) + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
      return ps.executeUpdate();
    }
  }

  /**
   * Deletes, in its own transaction, the rows of {@code table} (keyed by a row id) whose row id belongs
   * to a slice of {@code relation} (the rows with the ids and keys): those whose key hashes to
   * {@code partition}, and (when {@code afterKey} is given) sorts after it. Work tables of training sets
   * hold only row ids; their slices are found through the left rows.
   *
   * @param rid the quoted row id column, in both
   * @param keyColumns the quoted key columns of {@code relation}
   */
  public static void deleteByRowIds(Warehouse w, TableName table, String rid, String relation, List<String> keyColumns,
      List<Boolean> textKeys, int partition, int partitions, List<Object> afterKey) {
    SqlDialect d = w.dialect();
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (partitions > 1) where.add(d.partitionOf(keyColumns, partitions) + " = " + partition);
    if (afterKey != null) {
      where.add(after(d, keyColumns, textKeys));
      params.addAll(afterKey);
    }
    update(w, "DELETE FROM " + d.table(table) + " WHERE " + rid + " IN (SELECT " + rid + " FROM " + relation + " l"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + ")", params,
        "clearing partition " + partition + "/" + partitions + " of " + table);
  }

  /** The condition "the key sorts after the (bound) key", with one placeholder per key column. */
  public static String after(SqlDialect d, List<String> quotedKeys, List<Boolean> textKeys) {
    List<String> orderable = new ArrayList<>();
    for (int i = 0; i < quotedKeys.size(); i++) orderable.add(d.orderable(quotedKeys.get(i), textKeys.get(i)));
    String row = orderable.size() == 1 ? orderable.getFirst() : "(" + String.join(", ", orderable) + ")";
    String marks = quotedKeys.size() == 1 ? "?" : "(" + quotedKeys.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
    return row + " > " + marks;
  }

  /** Runs one statement with parameters in its own transaction (fenced when a partition runs on this thread). */
  public static void update(Warehouse w, String sql, List<Object> params, String what) {
    Connection c = w.begin();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
      ps.executeUpdate();
      PartitionFence.commit(c);
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(c);
      throw new WarehouseException(what + " failed", e);
    } finally {
      Warehouse.closeQuietly(c);
    }
  }
}
