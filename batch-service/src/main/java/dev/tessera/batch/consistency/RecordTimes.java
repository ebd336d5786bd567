package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.batch.read.KeyOrder;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * When the events around the logged fetches reached Kafka, for the attribution of what a live system
 * produces ({@link Cause#ARRIVED_AFTER_FETCH}, {@link Cause#AT_MILLIS_IN_TILE}, {@link Cause#STREAM_BEHIND}):
 * copied by the prepare step from the {@code _timestamp} column that ingest lands beside each event
 * (sources whose tables lack it, or whose time is an expression, contribute nothing), read by the
 * partitions as entity key -> event times and record times sorted by event time.
 */
final class RecordTimes {
  /** Events whose record time is this long before the first logged fetch cannot explain it and are not copied. */
  static final long LOOKBACK_MILLIS = 86_400_000L;
  static final String RECORD_TIME = "__tessera_record_time";
  static final String INGEST_TIMESTAMP = "_timestamp";

  private RecordTimes() {}

  static List<OutColumn> columns(CompiledGroupBy g) {
    List<OutColumn> out = new ArrayList<>(CheckedGroupBy.lateColumns(g));
    out.add(new OutColumn(RECORD_TIME, ColumnKind.BIGINT));
    return out;
  }

  /**
   * Recreates {@code target} and copies into it, from every source table of {@code g} that has record
   * times, the events with an event time before {@code maxT} (the last logged t; a later one explains
   * nothing) that reached Kafka at most {@link #LOOKBACK_MILLIS} before {@code minT}.
   *
   * @return the events copied
   */
  static long copy(Warehouse warehouse, CompiledGroupBy g, TableName target, Long minT, Long maxT) {
    SqlDialect d = warehouse.dialect();
    warehouse.execute("DROP TABLE IF EXISTS " + d.table(target));
    List<OutColumn> columns = columns(g);
    OutputTables.createOrVerify(warehouse, target, columns);
    if (minT == null || maxT == null) return 0;
    long copied = 0;
    String into = columns.stream().map(c -> d.quote(c.name())).collect(Collectors.joining(", "));
    for (SourcePlan source : SourcePlan.of(g)) {
      // Record times exist only in tables ingest landed; a Parquet dataset has none (its late events are not told apart).
      if (source.timeColumn() == null || !(source.table() instanceof TableName table) || !warehouse.exists(table)
          || warehouse.column(warehouse.columns(table), INGEST_TIMESTAMP).isEmpty()) {
        continue;
      }
      String keys = source.keyInputColumns().stream().map(d::quote).collect(Collectors.joining(", "));
      String time = d.quote(source.timeColumn());
      String sql = "INSERT INTO " + d.table(target) + " (" + into + ") SELECT " + keys + ", " + time + ", " + d.quote(INGEST_TIMESTAMP)
          + " FROM " + d.table(table) + " WHERE " + d.quote(INGEST_TIMESTAMP) + " >= ? AND " + time + " < ? AND " + time
          + " IS NOT NULL";
      try (Connection c = warehouse.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, minT - LOOKBACK_MILLIS);
        ps.setLong(2, maxT);
        copied += ps.executeUpdate();
      } catch (SQLException e) {
        throw new WarehouseException("copying the record times of " + source.table() + " failed", e);
      }
    }
    return copied;
  }

  /** Every entity's events of {@code table} (written by {@link #copy}), sorted by event time. */
  static Map<List<Object>, Attribution.Arrivals> read(Warehouse warehouse, CompiledGroupBy g, TableName table) {
    Map<List<Object>, List<long[]>> byKey = new HashMap<>();
    if (!warehouse.exists(table)) return Map.of();
    SqlDialect d = warehouse.dialect();
    int keys = g.keyNames().size();
    String sql = "SELECT " + g.keyNames().stream().map(d::quote).collect(Collectors.joining(", ")) + ", "
        + d.quote(ConsistencyPlan.EVENT_TIME) + ", " + d.quote(RECORD_TIME) + " FROM " + d.table(table);
    try (Connection c = warehouse.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<Object> key = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) key.add(KeyOrder.normalize(rs.getObject(1 + i)));
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {rs.getLong(1 + keys), rs.getLong(2 + keys)});
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading the record times of " + g.name() + " failed", e);
    }
    Map<List<Object>, Attribution.Arrivals> out = new HashMap<>();
    byKey.forEach((k, v) -> {
      v.sort((a, b) -> Long.compare(a[0], b[0]));
      long[] times = new long[v.size()];
      long[] recorded = new long[v.size()];
      for (int i = 0; i < times.length; i++) {
        times[i] = v.get(i)[0];
        recorded[i] = v.get(i)[1];
      }
      out.put(k, new Attribution.Arrivals(times, recorded));
    });
    return out;
  }
}
