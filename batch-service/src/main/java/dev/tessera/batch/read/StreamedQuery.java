package dev.tessera.batch.read;

import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * One query streamed from the warehouse on a connection of its own (forward only, fetch size from
 * the warehouse settings), so that a cursor reads tables larger than the heap. Closing rolls the
 * read transaction back and releases everything.
 */
public final class StreamedQuery implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rows;

  private StreamedQuery(Connection connection, PreparedStatement statement, ResultSet rows) {
    this.connection = connection;
    this.statement = statement;
    this.rows = rows;
  }

  public static StreamedQuery open(Warehouse warehouse, String sql, List<Object> parameters) throws SQLException {
    return open(warehouse, null, sql, parameters);
  }

  /** @param relation what the query selects from, when it may be a Parquet dataset (read where Parquet is read), or null */
  public static StreamedQuery open(Warehouse warehouse, Relation relation, String sql, List<Object> parameters) throws SQLException {
    Connection connection = relation == null ? warehouse.connectForStreaming() : warehouse.connectForStreaming(relation);
    PreparedStatement statement = null;
    try {
      statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(warehouse.fetchSize());
      for (int i = 0; i < parameters.size(); i++) statement.setObject(i + 1, parameters.get(i));
      return new StreamedQuery(connection, statement, statement.executeQuery());
    } catch (SQLException | RuntimeException e) {
      Warehouse.closeQuietly(statement);
      Warehouse.rollbackQuietly(connection);
      Warehouse.closeQuietly(connection);
      throw e;
    }
  }

  public ResultSet rows() {
    return rows;
  }

  @Override
  public void close() {
    Warehouse.closeQuietly(rows);
    Warehouse.closeQuietly(statement);
    Warehouse.rollbackQuietly(connection);
    Warehouse.closeQuietly(connection);
  }
}
