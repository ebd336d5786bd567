package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL (or a compatible warehouse): JSONB for lists and maps, COLLATE "C" for key order. */
public final class PostgresDialect implements SqlDialect {

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String type(ColumnKind kind) {
    return switch (kind) {
      case BIGINT -> "BIGINT";
      case INTEGER -> "INTEGER";
      case DOUBLE -> "DOUBLE PRECISION";
      case TEXT -> "TEXT";
      case JSON -> "JSONB";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
    };
  }

  @Override
  public String orderable(String quotedColumn, boolean text) {
    return text ? quotedColumn + " COLLATE \"C\"" : quotedColumn;
  }

  @Override
  public String partitionOf(List<String> quotedKeyColumns, int partitions) {
    // hashtext() is signed: shift the remainder into [0, partitions). The unit separator keeps
    // ("a:b") and ("a", "b") apart.
    // A null key hashes like '' (hashtext(NULL) is NULL: its rows would belong to no partition).
    String text = quotedKeyColumns.size() == 1 ? "coalesce(CAST(" + quotedKeyColumns.getFirst() + " AS TEXT), '')"
        : "concat_ws(chr(31), " + quotedKeyColumns.stream().map(c -> "CAST(" + c + " AS TEXT)").collect(Collectors.joining(", ")) + ")";
    return "((hashtext(" + text + ") % " + partitions + " + " + partitions + ") % " + partitions + ")";
  }

  @Override
  public String jsonParameter() {
    return "CAST(? AS JSONB)";
  }

  @Override
  public String epochMillis(String quotedColumn) {
    return "CAST(floor(extract(epoch FROM " + quotedColumn + ") * 1000) AS BIGINT)";
  }

  @Override
  public boolean supportsParquet() {
    return false;
  }

  @Override
  public TableWriter writer(Connection connection, TableName table, List<OutColumn> columns) throws SQLException {
    return new JdbcTableWriter(connection, this, table, columns);
  }

  @Override
  public void begin(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
  }

  @Override
  public String columnsQuery() {
    return "SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE table_schema = coalesce(?, current_schema()) AND table_name = ? ORDER BY ordinal_position";
  }
}
