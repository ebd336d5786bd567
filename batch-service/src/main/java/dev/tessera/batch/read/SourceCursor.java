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
import java.util.List;
import java.util.Objects;

/**
 * One source's events for one partition, streamed in key order, turned into rows by the GroupBy's
 * compiled source (the path the stream side uses too). Filtered rows are counted; rejected rows are
 * counted with their reason and skipped.
 *
 * <p>Checkpoints: rows are grouped by their raw key. A group's counts become final ("committed")
 * when the first row of the next group is read; the last committed group is where a restarted
 * partition resumes, so a row is never counted twice and never lost. The cursor reads at most one
 * row beyond the entity it hands out, and only an accepted row stays pending, so a committed group
 * never holds rows of an entity that has not been handed out.
 */
public final class SourceCursor implements AutoCloseable {

  /** Where this cursor stands: the last committed key group, whether the stream ended, and the counts. */
  public record State(List<Object> resumeAfter, boolean exhausted, ReadStats stats) {}

  private final Warehouse warehouse;
  private final CompiledGroupBy groupBy;
  private final SourcePlan plan;
  private final EventQuery query;
  private final Long from;
  private final Long to;
  private final int[] keyIndexes;
  private final int[] keyColumns;
  private final RowSchema input;
  private final ReadStats committed;
  private final ReadStats pendingStats;

  private StreamedQuery stream;
  private ResultSet rs;
  private boolean exhausted;
  private boolean started;
  private List<Object> resumeAfter;
  private List<Object> currentGroup;
  private boolean inGroup;
  private Row pendingRow;
  private List<Object> pendingKey;

  /**
   * @param from inclusive lower time bound (null: none); applied in SQL or, for time expressions, here
   * @param to exclusive upper time bound (null: none)
   */
  public SourceCursor(Warehouse warehouse, CompiledGroupBy groupBy, SourcePlan plan, EventQuery query, Long from, Long to,
      State resume, int maxSamples) {
    this.warehouse = warehouse;
    this.groupBy = groupBy;
    this.plan = plan;
    this.query = query;
    this.from = from;
    this.to = to;
    this.keyIndexes = plan.keyInputIndexes();
    this.keyColumns = groupBy.keyColumns();
    this.input = plan.input();
    this.committed = resume == null ? new ReadStats(maxSamples) : resume.stats();
    this.pendingStats = new ReadStats(maxSamples);
    this.exhausted = resume != null && resume.exhausted();
    this.resumeAfter = resume == null ? null : resume.resumeAfter();
  }

  public SourcePlan plan() {
    return plan;
  }

  /** The key of the next accepted row, or null when the stream has ended. */
  public List<Object> peekKey() {
    fill();
    return pendingKey;
  }

  /** Moves every accepted row of entity {@code key} into {@code out}; the next accepted row stays pending. */
  public void drain(List<Object> key, List<Row> out) {
    fill();
    while (pendingKey != null && pendingKey.equals(key)) {
      out.add(pendingRow);
      pendingRow = null;
      pendingKey = null;
      fill();
    }
  }

  /** Discards accepted rows of entities before {@code key} (counted as read, not used). */
  public void skipBefore(List<Object> key) {
    fill();
    while (pendingKey != null && KeyOrder.compare(pendingKey, key) < 0) {
      pendingRow = null;
      pendingKey = null;
      fill();
    }
  }

  public State state() {
    return new State(resumeAfter, exhausted, copy(committed));
  }

  private ReadStats copy(ReadStats s) {
    ReadStats c = new ReadStats(Integer.MAX_VALUE);
    c.add(s);
    return c;
  }

  /** Reads until an accepted row is pending or the stream ends. */
  private void fill() {
    if (pendingRow != null || exhausted) return;
    try {
      if (!started) open();
      while (pendingRow == null) {
        if (!rs.next()) {
          closeGroup();
          exhausted = true;
          inGroup = false;
          release();
          return;
        }
        Object[] raw = new Object[input.size()];
        for (int i = 0; i < raw.length; i++) raw[i] = JdbcValues.read(rs, i + 1, input.type(i));
        if (!inGroup || !inCurrentGroup(raw)) {
          if (inGroup) closeGroup();
          List<Object> group = new ArrayList<>(keyIndexes.length);
          for (int k : keyIndexes) group.add(KeyOrder.normalize(raw[k]));
          if (currentGroup != null) KeyOrder.checkAscending(currentGroup, group, plan.table());
          currentGroup = group;
          inGroup = true;
        }
        pendingStats.countRead();
        apply(raw);
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading " + plan.table() + " failed", e);
    }
  }

  /** Whether a row's raw key is the current group's, without allocating (the common case, row after row). */
  private boolean inCurrentGroup(Object[] raw) {
    for (int i = 0; i < keyIndexes.length; i++) {
      if (!Objects.equals(KeyOrder.normalize(raw[keyIndexes[i]]), currentGroup.get(i))) return false;
    }
    return true;
  }

  /** The entity key of an accepted row: the current group's list when the coerced key equals it (it does for plain key columns). */
  private List<Object> entityKey(Row row) {
    for (int i = 0; i < keyColumns.length; i++) {
      if (!Objects.equals(row.get(keyColumns[i]), currentGroup.get(i))) return groupBy.keyOf(row);
    }
    return currentGroup;
  }

  private void apply(Object[] raw) {
    // apply() coerces in place and stops at the first bad value, so raw still shows what was wrong.
    SourceResult r = groupBy.apply(plan.index(), raw);
    switch (r) {
      case SourceResult.Accepted a -> {
        long ts = a.row().ts();
        if ((from != null && ts < from) || (to != null && ts >= to)) {
          pendingStats.countOutOfRange();
          return;
        }
        pendingStats.countAccepted();
        pendingRow = a.row();
        pendingKey = entityKey(a.row());
      }
      case SourceResult.Filtered f -> pendingStats.countFiltered();
      case SourceResult.Rejected j -> pendingStats.countRejected(j.refusal(), j.reason(), JdbcValues.describe(input.names(), raw));
    }
  }

  /** The group that just ended is complete: its counts are final and a restart resumes after it. */
  private void closeGroup() {
    committed.add(pendingStats);
    pendingStats.clear();
    if (inGroup) resumeAfter = currentGroup;
  }

  private void open() throws SQLException {
    started = true;
    stream = StreamedQuery.open(warehouse, plan.table(), query.sql(), query.parameters());
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
