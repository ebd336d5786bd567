package dev.tessera.batch.warehouse;

import java.sql.SQLException;

/**
 * Appends rows to one table inside the caller's open transaction: DuckDB's appender, or batched
 * inserts on PostgreSQL. Values come in column order, in the Java form of each {@link ColumnKind}
 * (Long, Integer, Double, String, Boolean, LocalDate; JSON columns take JSON text). {@link #close()}
 * flushes; the caller commits.
 */
public interface TableWriter extends AutoCloseable {

  void append(Object[] row) throws SQLException;

  /** Rows appended so far. */
  long rows();

  @Override
  void close() throws SQLException;
}
