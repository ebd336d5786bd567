package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the warehouses: types, how keys are hashed into partitions and ordered, how
 * rows are appended and how a transaction starts. Everything else the service writes is plain SQL.
 *
 * <p>Key order matters beyond SQL: rows of several sources (and the left table of a training set)
 * are merged by key in Java, so the database must order strings by code point, as
 * {@link dev.tessera.batch.read.KeyOrder} does. DuckDB does by default; PostgreSQL needs
 * {@code COLLATE "C"}.
 */
public sealed interface SqlDialect permits DuckDbDialect, PostgresDialect {

  String name();

  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  default String table(TableName t) {
    return t.schema() == null ? quote(t.name()) : quote(t.schema()) + "." + quote(t.name());
  }

  String type(ColumnKind kind);

  /** A key column as it must appear in ORDER BY and row comparisons so that strings sort by code point. */
  String orderable(String quotedColumn, boolean text);

  /** An expression giving a row's partition in {@code [0, partitions)} from its key columns' text forms. */
  String partitionOf(List<String> quotedKeyColumns, int partitions);

  /** The placeholder of a JSON value in an INSERT. */
  String jsonParameter();

  /** Epoch milliseconds of a TIMESTAMP column. */
  String epochMillis(String quotedColumn);

  boolean supportsParquet();

  TableWriter writer(Connection connection, TableName table, List<OutColumn> columns) throws SQLException;

  /** Leaves {@code connection} inside an open transaction: what follows commits or rolls back together. */
  void begin(Connection connection) throws SQLException;

  /**
   * A statement that lets this connection's unordered bulk statements (CREATE TABLE AS without ORDER
   * BY) run without keeping insertion order, or null. Session scope only: in DuckDB 2.0 the global
   * setting also breaks the order of streamed ORDER BY results on other connections.
   */
  default String unorderedSession() {
    return null;
  }

  /** Columns of a table or view: {@code (column_name, data_type)} for parameters (schema or null, name). */
  String columnsQuery();
}
