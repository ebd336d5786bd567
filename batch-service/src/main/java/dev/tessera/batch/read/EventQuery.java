package dev.tessera.batch.read;

import java.util.Objects;
import dev.tessera.agg.definition.DataType;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The streamed SELECT of one source for one partition:
 *
 * <pre>SELECT &lt;schema columns&gt; FROM &lt;table&gt;
 * WHERE (&lt;time&gt; &gt;= ? AND &lt;time&gt; &lt; ? OR &lt;time&gt; IS NULL) -- when the time is a column
 *   AND &lt;hash of keys&gt; = &lt;partition&gt;
 *   AND ((&lt;keys&gt;) &gt; (?...) OR &lt;a key&gt; IS NULL)   -- resuming after a checkpoint
 *   AND (&lt;keys&gt;) IN (SELECT &lt;keys&gt; FROM &lt;left&gt;)  -- training sets: only entities asked for
 * ORDER BY &lt;keys&gt;, &lt;time&gt;, &lt;other columns&gt;</pre>
 *
 * One entity's rows arrive together and in time order; rows with a null key (rejected) come last.
 * Rows with the same key and time come in the order of their other columns, so that a re-run
 * aggregates them in the same order and produces bit-identical floating results.
 */
public record EventQuery(String sql, List<Object> parameters) {

  /** Restricts events to the entities of another table (the left side of a training set). */
  public record KeyFilter(TableName table, List<String> keyColumns) {}

  /**
   * @param from inclusive lower time bound, or null for none (lifetime aggregations)
   * @param to exclusive upper time bound, or null for none
   * @param resumeAfter the last key group already consumed, or null to read from the start
   */
  public static EventQuery of(SqlDialect d, SourcePlan s, Long from, Long to, Partition p, List<Object> resumeAfter,
      KeyFilter filter) {
    return of(d, s, from, to, p, resumeAfter, filter, List.of(), null);
  }

  /**
   * @param extraColumns columns selected after the schema's (a training set's own-events read adds row id and time)
   * @param relation what to select from instead of the source table (a subquery over it), or null
   */
  public static EventQuery of(SqlDialect d, SourcePlan s, Long from, Long to, Partition p, List<Object> resumeAfter,
      KeyFilter filter, List<String> extraColumns, String relation) {
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    List<String> keys = s.keyInputColumns().stream().map(d::quote).toList();
    List<String> orderableKeys = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      boolean text = s.input().type(s.keyInputColumns().get(i)) == DataType.Primitive.STRING;
      orderableKeys.add(d.orderable(keys.get(i), text));
    }
    if (s.timeInSql() && (from != null || to != null)) {
      // Rows without a time are read too, whatever the range: they are rejected and reported, not silently left out.
      String time = d.quote(s.timeColumn());
      List<String> range = new ArrayList<>();
      if (from != null) {
        range.add(time + " >= ?");
        params.add(from);
      }
      if (to != null) {
        range.add(time + " < ?");
        params.add(to);
      }
      where.add("((" + String.join(" AND ", range) + ") OR " + time + " IS NULL)");
    }
    if (p != null && p.count() > 1) where.add(bucketOf(d, s, p.count()) + " = " + p.index());
    if (resumeAfter != null) where.add(resumeClause(keys, orderableKeys, resumeAfter, params));
    if (filter != null) {
      String left = filter.keyColumns().stream().map(d::quote).collect(Collectors.joining(", "));
      where.add(row(keys) + " IN (SELECT " + left + " FROM " + d.table(filter.table()) + ")");
    }
    List<String> selected = new ArrayList<>(s.input().names());
    selected.addAll(extraColumns);
    String columns = selected.stream().map(d::quote).collect(Collectors.joining(", "));
    String source = relation != null ? relation + " src" : switch (s.table()) {
      case TableName t -> d.table(t);
      case ParquetDataset ds -> throw new IllegalArgumentException(ds + " is read through Warehouse.from (its files depend on the range)");
    };
    StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(source);
    if (!where.isEmpty()) sql.append(" WHERE ").append(String.join(" AND ", where));
    sql.append(" ORDER BY ").append(orderableKeys.stream().map(k -> k + " NULLS LAST").collect(Collectors.joining(", ")));
    if (s.timeInSql()) sql.append(", ").append(d.quote(s.timeColumn()));
    // Ties (same key and time) in a fixed order too: floating sums then come out bit-identical on every run.
    for (int i = 0; i < s.input().size(); i++) {
      String c = s.input().name(i);
      if (s.input().type(i).isPrimitive() && !c.equals(s.timeColumn()) && !s.keyInputColumns().contains(c)) {
        sql.append(", ").append(d.orderable(d.quote(c), s.input().type(i) == DataType.Primitive.STRING)).append(" NULLS LAST");
      }
    }
    return new EventQuery(sql.toString(), params);
  }

  /**
   * The key-hash partition of a row of {@code s} among {@code count} (KeyHashPartitioner's slices): the one rule both
   * a partition's read and the lake shuffle's scatter (which files a row under its bucket) use, so a key is spilled
   * to the partition that owns it.
   */
  public static String bucketOf(SqlDialect d, SourcePlan s, int count) {
    return d.partitionOf(s.keyInputColumns().stream().map(d::quote).toList(), count);
  }

  /**
   * Rows after the checkpointed key group: {@code (k1, k2) > (?, ?)}, plus the rows with a null key,
   * which sort last and would fail the comparison. A checkpoint inside the null tail (only rejected
   * rows remain) re-reads the tail.
   */
  static String resumeClause(List<String> keys, List<String> orderableKeys, List<Object> resumeAfter, List<Object> params) {
    String anyNull = keys.stream().map(k -> k + " IS NULL").collect(Collectors.joining(" OR "));
    if (resumeAfter.stream().anyMatch(Objects::isNull)) return "(" + anyNull + ")";
    params.addAll(resumeAfter);
    String placeholders = keys.size() == 1 ? "?" : "(" + keys.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
    return "(" + row(orderableKeys) + " > " + placeholders + " OR " + anyNull + ")";
  }

  static String row(List<String> columns) {
    return columns.size() == 1 ? columns.getFirst() : "(" + String.join(", ", columns) + ")";
  }
}
