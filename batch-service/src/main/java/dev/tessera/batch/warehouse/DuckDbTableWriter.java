package dev.tessera.batch.warehouse;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** DuckDB's appender: about ten times faster than prepared inserts, and part of the open transaction. */
final class DuckDbTableWriter implements TableWriter {
  private final DuckDBAppender appender;
  private final ColumnKind[] kinds;
  private long rows;

  DuckDbTableWriter(DuckDBConnection connection, TableName table, List<OutColumn> columns) throws SQLException {
    this.appender = connection.createAppender(table.schema() == null ? DuckDBConnection.DEFAULT_SCHEMA : table.schema(), table.name());
    this.kinds = columns.stream().map(OutColumn::kind).toArray(ColumnKind[]::new);
  }

  @Override
  public void append(Object[] row) throws SQLException {
    if (row.length != kinds.length) throw new IllegalArgumentException("expected " + kinds.length + " values, got " + row.length);
    appender.beginRow();
    for (int i = 0; i < row.length; i++) {
      Object v = row[i];
      if (v == null) {
        appender.appendNull();
        continue;
      }
      switch (kinds[i]) {
        case BIGINT -> appender.append(((Number) v).longValue());
        case INTEGER -> appender.append(((Number) v).intValue());
        case DOUBLE -> appender.append(((Number) v).doubleValue());
        case TEXT, JSON -> appender.append(v.toString());
        case BOOLEAN -> appender.append((boolean) (Boolean) v);
        case DATE -> appender.append((LocalDate) v);
      }
    }
    appender.endRow();
    rows++;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void close() throws SQLException {
    appender.close();
  }
}
