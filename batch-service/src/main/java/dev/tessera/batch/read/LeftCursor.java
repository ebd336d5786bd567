package dev.tessera.batch.read;

import java.util.Arrays;
import java.util.Objects;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The left rows of a training set for one partition, streamed in key and time order and grouped by
 * key. The query selects {@code row id, key columns..., time (epoch millis)}; rows with a null key or
 * time are excluded by the query (the job counts them up front).
 */
public final class LeftCursor implements AutoCloseable {

  /** The last left key group handed out, whether the stream ended, and the left rows handed out. */
  public record State(List<Object> resumeAfter, boolean exhausted, long rows) {}

  private final Warehouse warehouse;
  private final String sql;
  private final List<Object> parameters;
  private final int keyCount;
  private Connection connection;
  private PreparedStatement statement;
  private ResultSet rs;
  private boolean started;
  private boolean exhausted;
  private List<Object> resumeAfter;
  private long rows;
  private List<Object> pendingKey;
  private long pendingRid;
  private long pendingTime;

  public LeftCursor(Warehouse warehouse, String sql, List<Object> parameters, int keyCount, State resume) {
    this.warehouse = warehouse;
    this.sql = sql;
    this.parameters = List.copyOf(parameters);
    this.keyCount = keyCount;
    if (resume != null) {
      this.exhausted = resume.exhausted();
      this.resumeAfter = resume.resumeAfter();
      this.rows = resume.rows();
    }
  }

  /** The next entity's left rows, or null at the end. */
  public LeftGroup next() {
    if (exhausted) return null;
    try {
      if (!started) open();
      if (pendingKey == null && !advance()) return null;
      List<Object> key = pendingKey;
      LongList rids = new LongList();
      LongList times = new LongList();
      do {
        rids.add(pendingRid);
        times.add(pendingTime);
      } while (advance() && pendingKey.equals(key));
      // pendingKey is now the first row of the next group, or null at the end
      rows += rids.size();
      resumeAfter = key;
      return new LeftGroup(key, rids.toArray(), times.toArray());
    } catch (SQLException e) {
      throw new WarehouseException("reading the left table failed", e);
    }
  }

  private boolean advance() throws SQLException {
    if (!rs.next()) {
      pendingKey = null;
      exhausted = true;
      release();
      return false;
    }
    pendingRid = rs.getLong(1);
    pendingTime = rs.getLong(2 + keyCount);
    if (pendingKey == null || !sameKey(pendingKey)) {
      List<Object> key = new ArrayList<>(keyCount);
      for (int i = 0; i < keyCount; i++) key.add(KeyOrder.normalize(rs.getObject(2 + i)));
      if (pendingKey != null) KeyOrder.checkAscending(pendingKey, key, "the left table");
      pendingKey = key;
    }
    return true;
  }

  /** Whether the current row has {@code key}, without allocating (rows of one key come together). */
  private boolean sameKey(List<Object> key) throws SQLException {
    for (int i = 0; i < keyCount; i++) {
      if (!Objects.equals(KeyOrder.normalize(rs.getObject(2 + i)), key.get(i))) return false;
    }
    return true;
  }

  public State state() {
    return new State(resumeAfter, exhausted, rows);
  }

  private void open() throws SQLException {
    started = true;
    connection = warehouse.connectForStreaming();
    statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    statement.setFetchSize(warehouse.fetchSize());
    for (int i = 0; i < parameters.size(); i++) statement.setObject(i + 1, parameters.get(i));
    rs = statement.executeQuery();
  }

  private void release() {
    Warehouse.closeQuietly(rs);
    Warehouse.closeQuietly(statement);
    if (connection != null) Warehouse.rollbackQuietly(connection);
    Warehouse.closeQuietly(connection);
    rs = null;
    statement = null;
    connection = null;
  }

  @Override
  public void close() {
    release();
  }

  /** A growable long array: left groups can be large, boxing every row id would not be. */
  static final class LongList {
    private long[] values = new long[8];
    private int size;

    void add(long v) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = v;
    }

    int size() {
      return size;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
