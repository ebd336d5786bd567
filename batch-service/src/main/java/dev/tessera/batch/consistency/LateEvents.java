package dev.tessera.batch.consistency;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Source;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.TableWriter;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The late dead letters of the job's GroupBy, keyed like its events, for the attribution (prepare step). */
final class LateEvents {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LateEvents() {}

  /**
   * Copies the GroupBy's late dead letters with their entity keys, taken from the dead-lettered event
   * itself (the key columns of the source that reads its topic), else from its {@code key} (one key).
   */
  static long copy(Warehouse warehouse, ConsistencyPlan plan) {
    TableName dlt = plan.deadLetterTable();
    if (dlt == null || !warehouse.exists(dlt)) return 0;
    List<SourcePlan> sources = plan.sources();
    Map<String, SourcePlan> byTopic = new LinkedHashMap<>();
    List<Source> defined = plan.groupBy().definition().sources();
    for (int i = 0; i < defined.size(); i++) {
      if (defined.get(i) instanceof EventSource es && es.topic() != null) byTopic.putIfAbsent(es.topic(), sources.get(i));
    }
    int keys = plan.groupBy().keyNames().size();
    long[] count = {0};
    Connection out = warehouse.begin();
    try (TableWriter writer = warehouse.dialect().writer(out, plan.lateEvents(), plan.lateColumns())) {
      Object[] row = new Object[keys + 1];
      Queries.each(warehouse, "SELECT entity_key, event, event_time, source_topic FROM " + warehouse.dialect().table(dlt)
          + " WHERE kind = 'late' AND group_by = ? AND event_time IS NOT NULL AND event_time < ?", rs -> {
        SourcePlan source = byTopic.getOrDefault(rs.getString(4), sources.getFirst());
        if (!lateKey(plan, row, rs.getString(1), rs.getString(2), source, keys)) return;
        row[keys] = rs.getLong(3);
        writer.append(row);
        count[0]++;
      }, plan.groupBy().name(), plan.toMillis());
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

  private static boolean lateKey(ConsistencyPlan plan, Object[] row, String entityKey, String event, SourcePlan source, int keys) {
    JsonNode e = null;
    try {
      e = event == null ? null : JSON.readTree(event);
    } catch (JacksonException ignored) {
      // fall back on the record's key
    }
    for (int i = 0; i < keys; i++) {
      DataType type = plan.groupBy().keyType(i);
      Object v = e != null && e.isObject() ? LogRows.keyValue(e.get(source.keyInputColumns().get(i)), type) : null;
      if (v == null && keys == 1 && entityKey != null) v = LogRows.keyValue(JSON.getNodeFactory().stringNode(entityKey), type);
      if (v == null) return false;
      row[i] = v;
    }
    return true;
  }

}
