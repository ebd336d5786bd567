package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Source;
import dev.tessera.batch.read.KeyOrder;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.TableWriter;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The late dead letters of a GroupBy, keyed like its events, for the attribution: copied by the prepare step, read by the partitions. */
final class LateEvents {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LateEvents() {}

  /**
   * Copies the GroupBy's late dead letters with their entity keys, taken from the dead-lettered event
   * itself (the key columns of the source that reads its topic), else from its {@code key} (one key).
   */
  static long copy(Warehouse warehouse, ConsistencyPlan plan) {
    return copy(warehouse, plan.groupBy(), plan.deadLetterTable(), plan.lateEvents(), plan.toMillis());
  }

  /**
   * Creates {@code target} ({@link CheckedGroupBy#lateColumns}) and copies into it the late dead
   * letters of {@code g} in {@code deadLetters} with an event time before {@code toMillis}.
   *
   * @return how many were copied (0 when the dead-letter table does not exist)
   */
  static long copy(Warehouse warehouse, CompiledGroupBy g, TableName deadLetters, TableName target, long toMillis) {
    List<dev.tessera.batch.warehouse.OutColumn> columns = CheckedGroupBy.lateColumns(g);
    warehouse.execute("DROP TABLE IF EXISTS " + warehouse.dialect().table(target));
    OutputTables.createOrVerify(warehouse, target, columns);
    TableName dlt = deadLetters;
    if (dlt == null || !warehouse.exists(dlt)) return 0;
    List<SourcePlan> sources = SourcePlan.of(g);
    Map<String, SourcePlan> byTopic = new LinkedHashMap<>();
    List<Source> defined = g.definition().sources();
    for (int i = 0; i < defined.size(); i++) {
      if (defined.get(i) instanceof EventSource es && es.topic() != null) byTopic.putIfAbsent(es.topic(), sources.get(i));
    }
    int keys = g.keyNames().size();
    long[] count = {0};
    Connection out = warehouse.begin();
    try (TableWriter writer = warehouse.dialect().writer(out, target, columns)) {
      Object[] row = new Object[keys + 1];
      Queries.each(warehouse, "SELECT entity_key, event, event_time, source_topic FROM " + warehouse.dialect().table(dlt)
          + " WHERE kind = 'late' AND group_by = ? AND event_time IS NOT NULL AND event_time < ?", rs -> {
        SourcePlan source = byTopic.getOrDefault(rs.getString(4), sources.getFirst());
        if (!lateKey(g, row, rs.getString(1), rs.getString(2), source, keys)) return;
        row[keys] = rs.getLong(3);
        writer.append(row);
        count[0]++;
      }, g.name(), toMillis);
      writer.close();
      out.commit();
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(out);
      throw new WarehouseException("copying the dead letters of " + dlt + " failed", e);
    } finally {
      Warehouse.closeQuietly(out);
    }
    return count[0];
  }

  private static boolean lateKey(CompiledGroupBy g, Object[] row, String entityKey, String event, SourcePlan source, int keys) {
    JsonNode e = null;
    try {
      e = event == null ? null : JSON.readTree(event);
    } catch (JacksonException ignored) {
      // fall back on the record's key
    }
    for (int i = 0; i < keys; i++) {
      DataType type = g.keyType(i);
      Object v = e != null && e.isObject() ? LogRows.keyValue(e.get(source.keyInputColumns().get(i)), type) : null;
      if (v == null && keys == 1 && entityKey != null) v = LogRows.keyValue(JSON.getNodeFactory().stringNode(entityKey), type);
      if (v == null) return false;
      row[i] = v;
    }
    return true;
  }

  /** Every late event of {@code table} (written by {@link #copy}): entity key -> sorted event times (few: they are exceptions). */
  static Map<List<Object>, long[]> read(Warehouse warehouse, CompiledGroupBy g, TableName table) {
    Map<List<Object>, List<Long>> byKey = new HashMap<>();
    SqlDialect d = warehouse.dialect();
    int keys = g.keyNames().size();
    String sql = "SELECT " + g.keyNames().stream().map(d::quote).collect(Collectors.joining(", ")) + ", "
        + d.quote(ConsistencyPlan.EVENT_TIME) + " FROM " + d.table(table);
    try (Connection c = warehouse.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<Object> key = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) key.add(KeyOrder.normalize(rs.getObject(1 + i)));
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getLong(1 + keys));
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading the late events of " + g.name() + " failed", e);
    }
    Map<List<Object>, long[]> out = new HashMap<>();
    byKey.forEach((k, v) -> {
      long[] times = v.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(times);
      out.put(k, times);
    });
    return out;
  }
}
