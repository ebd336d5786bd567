package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/** Batched prepared inserts (PostgreSQL; add {@code reWriteBatchedInserts=true} to the URL for speed). */
final class JdbcTableWriter implements TableWriter {
  private static final int BATCH = 1000;

  private final PreparedStatement insert;
  private final ColumnKind[] kinds;
  private int pending;
  private long rows;

  JdbcTableWriter(Connection connection, SqlDialect dialect, TableName table, List<OutColumn> columns) throws SQLException {
    this.kinds = columns.stream().map(OutColumn::kind).toArray(ColumnKind[]::new);
    String names = columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "));
    String values = columns.stream().map(c -> c.kind() == ColumnKind.JSON ? dialect.jsonParameter() : "?").collect(Collectors.joining(", "));
    this.insert = connection.prepareStatement("INSERT INTO " + dialect.table(table) + " (" + names + ") VALUES (" + values + ")");
  }

  @Override
  public void append(Object[] row) throws SQLException {
    if (row.length != kinds.length) throw new IllegalArgumentException("expected " + kinds.length + " values, got " + row.length);
    for (int i = 0; i < row.length; i++) {
      Object v = row[i];
      int p = i + 1;
      switch (kinds[i]) {
        case BIGINT -> {
          if (v == null) insert.setNull(p, Types.BIGINT);
          else insert.setLong(p, ((Number) v).longValue());
        }
        case INTEGER -> {
          if (v == null) insert.setNull(p, Types.INTEGER);
          else insert.setInt(p, ((Number) v).intValue());
        }
        case DOUBLE -> {
          if (v == null) insert.setNull(p, Types.DOUBLE);
          else insert.setDouble(p, ((Number) v).doubleValue());
        }
        case TEXT, JSON -> {
          if (v == null) insert.setNull(p, Types.VARCHAR);
          else insert.setString(p, v.toString());
        }
        case BOOLEAN -> {
          if (v == null) insert.setNull(p, Types.BOOLEAN);
          else insert.setBoolean(p, (Boolean) v);
        }
        case DATE -> {
          if (v == null) insert.setNull(p, Types.DATE);
          else insert.setObject(p, (LocalDate) v);
        }
      }
    }
    insert.addBatch();
    rows++;
    if (++pending >= BATCH) flush();
  }

  private void flush() throws SQLException {
    if (pending > 0) {
      insert.executeBatch();
      pending = 0;
    }
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void close() throws SQLException {
    try {
      flush();
    } finally {
      insert.close();
    }
  }
}
