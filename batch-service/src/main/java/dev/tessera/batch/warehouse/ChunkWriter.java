package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends one chunk's rows to a table in one transaction: opened on the first row, committed by
 * {@link #commit()} (behind the {@link PartitionFence} of the partition running on this thread),
 * rolled back by {@link #abort()} (or on any failure). Not thread-safe: one per partition.
 */
public final class ChunkWriter implements AutoCloseable {
  private final Warehouse warehouse;
  private final TableName table;
  private final List<OutColumn> columns;
  private Connection connection;
  private TableWriter writer;

  public ChunkWriter(Warehouse warehouse, TableName table, List<OutColumn> columns) {
    this.warehouse = warehouse;
    this.table = table;
    this.columns = List.copyOf(columns);
  }

  public int width() {
    return columns.size();
  }

  public void append(Object[] row) {
    try {
      if (connection == null) {
        connection = warehouse.begin();
        writer = warehouse.dialect().writer(connection, table, columns);
      }
      writer.append(row);
    } catch (SQLException e) {
      abort();
      throw new WarehouseException("writing " + table + " failed", e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Commits the chunk; returns its rows (0 when nothing was appended). */
  public long commit() {
    if (connection == null) return 0;
    try {
      writer.close();
      PartitionFence.commit(connection);
      return writer.rows();
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(connection);
      throw new WarehouseException("committing to " + table + " failed", e);
    } finally {
      Warehouse.closeQuietly(connection);
      connection = null;
      writer = null;
    }
  }

  public void abort() {
    Warehouse.closeQuietly(writer);
    Warehouse.rollbackQuietly(connection);
    Warehouse.closeQuietly(connection);
    connection = null;
    writer = null;
  }

  @Override
  public void close() {
    abort();
  }
}
