package dev.tessera.batch.read;

import java.util.Arrays;
import java.util.Objects;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The left rows of a training set for one partition, streamed in key and time order and grouped by
 * key. The query selects {@code row id, key columns..., time (epoch millis)}; rows with a null key or
 * time are excluded by the query (the job counts them up front). A query may select
 * {@code extraColumns} more after the time (the consistency job's logged values): they come with
 * each group as {@link LeftGroup#values()}, aligned with its times.
 */
public final class LeftCursor implements AutoCloseable {

  /** The last left key group handed out, whether the stream ended, and the left rows handed out. */
  public record State(List<Object> resumeAfter, boolean exhausted, long rows) {}

  private final Warehouse warehouse;
  private final String sql;
  private final List<Object> parameters;
  private final int keyCount;
  private final int extraColumns;
  private StreamedQuery stream;
  private ResultSet rs;
  private boolean started;
  private boolean exhausted;
  private List<Object> resumeAfter;
  private long rows;
  private List<Object> pendingKey;
  private long pendingRid;
  private long pendingTime;
  private Object[] pendingExtra;

  public LeftCursor(Warehouse warehouse, String sql, List<Object> parameters, int keyCount, State resume) {
    this(warehouse, sql, parameters, keyCount, 0, resume);
  }

  public LeftCursor(Warehouse warehouse, String sql, List<Object> parameters, int keyCount, int extraColumns, State resume) {
    this.extraColumns = extraColumns;
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

  /**
   * The left rows of one partition of {@code relation}: {@code rid, keys..., time, extra...} where
   * the keys and the time are not null, in key order (code points for text) and time order, resuming
   * after {@code resume}'s last key group. Identifiers are quoted already.
   */
  public static LeftCursor over(Warehouse warehouse, String relation, String rid, List<String> keys, List<Boolean> textKeys, String time,
      List<String> extra, Partition p, State resume) {
    SqlDialect d = warehouse.dialect();
    List<String> orderable = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) orderable.add(d.orderable(keys.get(i), textKeys.get(i)));
    List<String> where = new ArrayList<>();
    keys.forEach(k -> where.add(k + " IS NOT NULL"));
    where.add(time + " IS NOT NULL");
    if (p.count() > 1) where.add(d.partitionOf(keys, p.count()) + " = " + p.index());
    List<Object> params = new ArrayList<>();
    if (resume != null && resume.resumeAfter() != null) {
      String row = orderable.size() == 1 ? orderable.getFirst() : "(" + String.join(", ", orderable) + ")";
      String marks = keys.size() == 1 ? "?" : "(" + String.join(", ", java.util.Collections.nCopies(keys.size(), "?")) + ")";
      where.add(row + " > " + marks);
      params.addAll(resume.resumeAfter());
    }
    List<String> columns = new ArrayList<>(List.of(rid));
    columns.addAll(keys);
    columns.add(time);
    columns.addAll(extra);
    String sql = "SELECT " + String.join(", ", columns) + " FROM " + relation + " l WHERE " + String.join(" AND ", where)
        + " ORDER BY " + String.join(", ", orderable) + ", " + time;
    return new LeftCursor(warehouse, sql, params, keys.size(), extra.size(), resume);
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
      List<Object[]> extra = extraColumns == 0 ? null : new ArrayList<>();
      do {
        rids.add(pendingRid);
        times.add(pendingTime);
        if (extra != null) extra.add(pendingExtra);
      } while (advance() && pendingKey.equals(key));
      // pendingKey is now the first row of the next group, or null at the end
      rows += rids.size();
      resumeAfter = key;
      if (extra != null) return new LeftGroup(key, rids.toArray(), times.toArray(), extra.toArray(Object[][]::new), List.of());
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
    if (extraColumns > 0) {
      pendingExtra = new Object[extraColumns];
      for (int i = 0; i < extraColumns; i++) pendingExtra[i] = rs.getObject(3 + keyCount + i);
    }
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
    stream = StreamedQuery.open(warehouse, sql, parameters);
    rs = stream.rows();
  }

  private void release() {
    if (stream != null) stream.close();
    stream = null;
    rs = null;
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
