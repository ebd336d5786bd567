package dev.tessera.batch.read;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowSchema;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A training set whose left table is the GroupBy's own source table: every row is read once and
 * serves twice, as a left row (it gets the features as of its time) and, when the source accepts
 * it, as an event. Half the reading of the general path, one sort instead of two. Every row with a
 * key and a time is a left row, whether the source accepts it as an event or not (a row a where
 * filters out still gets its features).
 *
 * <p>With {@code passThrough} (the output is written directly), each left row also carries its own
 * columns, and rows without a key or time are handed out too, to be written without features; the
 * group of null keys then comes out as a group of its own.
 *
 * <p>Rows come in raw key groups; a group's counts become final, and a restart resumes after it,
 * once it has been handed out whole (see {@link SourceCursor} for the same rule).
 */
public final class SelfCursor implements AutoCloseable {

  /** One raw key group: its accepted rows (sorted by time) and its left rows (sorted by time). */
  public record Group(List<Object> key, List<Row> rows, LeftGroup left) {}

  private final Warehouse warehouse;
  private final CompiledGroupBy groupBy;
  private final SourcePlan plan;
  private final EventQuery query;
  private final int[] keyIndexes;
  private final RowSchema input;
  /** For pass-through: the schema index of each output left column; null otherwise. */
  private final int[] leftColumns;
  private final ReadStats committed;
  /** Counts of the group being assembled, moved to {@link #committed} when it is whole. */
  private final ReadStats pendingGroupStats;
  private StreamedQuery stream;
  private ResultSet rs;
  private boolean started;
  private boolean exhausted;
  private List<Object> resumeAfter;
  private long leftRows;
  /** The first row of the next group, read ahead. */
  private Object[] aheadRaw;
  private List<Object> aheadKey;
  private long aheadRid;
  private Long aheadTime;

  /**
   * @param query selects the schema columns, then the row id and the time (epoch millis)
   * @param leftColumns for pass-through, the schema index of each left column in output order; else null
   */
  public SelfCursor(Warehouse warehouse, CompiledGroupBy groupBy, SourcePlan plan, EventQuery query, SourceCursor.State resume,
      long leftRowsBefore, int[] leftColumns, int maxSamples) {
    this.warehouse = warehouse;
    this.groupBy = groupBy;
    this.plan = plan;
    this.query = query;
    this.keyIndexes = plan.keyInputIndexes();
    this.input = plan.input();
    this.leftColumns = leftColumns;
    this.committed = resume == null ? new ReadStats(maxSamples) : resume.stats();
    this.pendingGroupStats = new ReadStats(maxSamples);
    this.exhausted = resume != null && resume.exhausted();
    this.resumeAfter = resume == null ? null : resume.resumeAfter();
    this.leftRows = leftRowsBefore;
  }

  /**
   * The next group with something to write (a left row, or with pass-through any row), or null at
   * the end. Other groups (rows without a key) are only counted.
   */
  public Group next() {
    try {
      while (true) {
        if (exhausted) return null;
        if (!started) open();
        if (aheadKey == null && !readAhead()) {
          finish();
          return null;
        }
        List<Object> key = aheadKey;
        boolean queryable = !key.contains(null);
        List<Row> rows = new ArrayList<>();
        LeftCursor.LongList rids = new LeftCursor.LongList();
        LeftCursor.LongList times = new LeftCursor.LongList();
        List<Object[]> values = leftColumns == null ? null : new ArrayList<>();
        List<Object[]> unqueried = leftColumns == null ? null : new ArrayList<>();
        boolean more;
        do {
          Object[] own = leftColumns == null ? null : ownColumns(aheadRaw);
          if (queryable && aheadTime != null) {
            rids.add(aheadRid);
            times.add(aheadTime);
            if (values != null) values.add(own);
          } else if (unqueried != null) {
            unqueried.add(own);
          }
          apply(aheadRaw, rows);
          more = readAhead();
        } while (more && Objects.equals(aheadKey, key));
        // The group is whole: its counts are final and a restart resumes after it.
        committed.add(pendingGroupStats);
        pendingGroupStats.clear();
        resumeAfter = key;
        if (!more) finish();
        if (rids.size() == 0 && (unqueried == null || unqueried.isEmpty())) continue;
        leftRows += rids.size();
        EntityReader.sortByTime(rows);
        return new Group(key, rows, left(key, rids.toArray(), times.toArray(), values, unqueried));
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading " + plan.table() + " failed", e);
    }
  }

  /** The row's own columns in output order, as read (before the source's coercion touches them). */
  private Object[] ownColumns(Object[] raw) {
    Object[] own = new Object[leftColumns.length];
    for (int i = 0; i < own.length; i++) own[i] = raw[leftColumns[i]];
    return own;
  }

  private void apply(Object[] raw, List<Row> rows) {
    pendingGroupStats.countRead();
    switch (groupBy.apply(plan.index(), raw)) {
      case SourceResult.Accepted a -> {
        pendingGroupStats.countAccepted();
        rows.add(a.row());
      }
      case SourceResult.Filtered f -> pendingGroupStats.countFiltered();
      case SourceResult.Rejected j -> pendingGroupStats.countRejected(j.refusal(), j.reason(), JdbcValues.describe(input.names(), raw));
    }
  }

  private boolean readAhead() throws SQLException {
    if (!rs.next()) {
      aheadKey = null;
      aheadRaw = null;
      return false;
    }
    Object[] raw = new Object[input.size()];
    for (int i = 0; i < raw.length; i++) raw[i] = JdbcValues.read(rs, i + 1, input.type(i));
    if (aheadKey == null || !sameKey(raw, aheadKey)) {
      List<Object> key = new ArrayList<>(keyIndexes.length);
      for (int k : keyIndexes) key.add(KeyOrder.normalize(raw[k]));
      if (aheadKey != null) KeyOrder.checkAscending(aheadKey, key, plan.table());
      aheadKey = key;
    }
    aheadRaw = raw;
    aheadRid = rs.getLong(input.size() + 1);
    long t = rs.getLong(input.size() + 2);
    aheadTime = rs.wasNull() ? null : t;
    return true;
  }

  private boolean sameKey(Object[] raw, List<Object> key) {
    for (int i = 0; i < keyIndexes.length; i++) {
      if (!Objects.equals(KeyOrder.normalize(raw[keyIndexes[i]]), key.get(i))) return false;
    }
    return true;
  }

  /**
   * The left rows sorted by time (ids and own columns follow): the left time may differ from the
   * event time the query sorted by.
   */
  private static LeftGroup left(List<Object> key, long[] rids, long[] times, List<Object[]> values, List<Object[]> unqueried) {
    Object[][] own = values == null ? null : values.toArray(Object[][]::new);
    for (int i = 1; i < times.length; i++) {
      if (times[i] < times[i - 1]) {
        Integer[] order = new Integer[times.length];
        for (int j = 0; j < order.length; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
        long[] r = new long[rids.length];
        long[] t = new long[times.length];
        Object[][] v = own == null ? null : new Object[own.length][];
        for (int j = 0; j < order.length; j++) {
          r[j] = rids[order[j]];
          t[j] = times[order[j]];
          if (v != null) v[j] = own[order[j]];
        }
        return new LeftGroup(key, r, t, v, unqueried);
      }
    }
    return new LeftGroup(key, rids, times, own, unqueried);
  }

  private void finish() {
    exhausted = true;
    release();
  }

  public SourceCursor.State state() {
    ReadStats c = new ReadStats(Integer.MAX_VALUE);
    c.add(committed);
    return new SourceCursor.State(resumeAfter, exhausted, c);
  }

  public LeftCursor.State leftState() {
    return new LeftCursor.State(resumeAfter, exhausted, leftRows);
  }

  private void open() throws SQLException {
    started = true;
    stream = StreamedQuery.open(warehouse, query.sql(), query.parameters());
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
}
