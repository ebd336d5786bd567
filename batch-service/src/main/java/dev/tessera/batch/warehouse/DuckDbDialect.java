package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/** DuckDB: the embedded default. Strings sort by code point (binary collation) out of the box. */
public final class DuckDbDialect implements SqlDialect {
  private final boolean postgresHash;

  /** The DuckDB warehouse's dialect: partitions by DuckDB's own {@code hash()}. */
  public DuckDbDialect() {
    this(false);
  }

  private DuckDbDialect(boolean postgresHash) {
    this.postgresHash = postgresHash;
  }

  /**
   * The dialect of the in-process DuckDB that reads Parquet for the PostgreSQL warehouse ({@link LakeEngine}): it
   * partitions keys as PostgreSQL does ({@link PostgresHashText}), so a partition's Parquet rows are the keys whose
   * output rows PostgreSQL counts as that partition's.
   */
  static DuckDbDialect partitioningLikePostgres() {
    return new DuckDbDialect(true);
  }

  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  public String type(ColumnKind kind) {
    return switch (kind) {
      case BIGINT -> "BIGINT";
      case INTEGER -> "INTEGER";
      case DOUBLE -> "DOUBLE";
      case TEXT, JSON -> "VARCHAR";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
    };
  }

  @Override
  public String orderable(String quotedColumn, boolean text) {
    return quotedColumn;
  }

  @Override
  public String partitionOf(List<String> quotedKeyColumns, int partitions) {
    if (postgresHash) return PostgresHashText.partitionOf(quotedKeyColumns, partitions);
    // hash() is DuckDB's own 64-bit hash (UBIGINT, so the remainder is never negative); hashing the
    // text form gives the same partition to a key stored as INTEGER in one table and BIGINT in another.
    String args = quotedKeyColumns.stream().map(c -> "CAST(" + c + " AS VARCHAR)").collect(Collectors.joining(", "));
    return "CAST(hash(" + args + ") % " + partitions + " AS INTEGER)";
  }

  @Override
  public String jsonParameter() {
    return "?";
  }

  @Override
  public String epochMillis(String quotedColumn) {
    return "epoch_ms(" + quotedColumn + ")";
  }

  @Override
  public boolean supportsParquet() {
    return true;
  }

  @Override
  public TableWriter writer(Connection connection, TableName table, List<OutColumn> columns) throws SQLException {
    return new DuckDbTableWriter(connection.unwrap(DuckDBConnection.class), table, columns);
  }

  @Override
  public void begin(Connection connection) throws SQLException {
    // The driver opens its transaction lazily, on the first statement; DuckDB's appender does not go
    // through that path, so rows appended before any statement would be committed on their own.
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT 1");
    }
  }

  @Override
  public String unorderedSession() {
    return "SET SESSION preserve_insertion_order = false";
  }

  @Override
  public String columnsQuery() {
    return "SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE lower(table_schema) = lower(coalesce(?, current_schema())) AND lower(table_name) = lower(?)"
        + " ORDER BY ordinal_position";
  }
}
