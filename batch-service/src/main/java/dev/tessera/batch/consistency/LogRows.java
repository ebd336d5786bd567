package dev.tessera.batch.consistency;

import dev.tessera.agg.definition.DataType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consistency job's prepare step: copies the GroupBy's logged fetches of the range from the
 * feature log into the typed work table (keys parsed from their JSON into the GroupBy's key types),
 * counting the rows that cannot be checked by reason instead of failing on them: keys that do not fit
 * the GroupBy, an unknown version, features that are not an object, rows of GroupBys the registry
 * does not know, records the ingest could not parse (in the log's errors table). Then copies the late
 * dead letters of the GroupBy, keyed like the events, for the attribution.
 */
final class LogRows {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** {@code "stale": true} in meta (a flat object: version, batchEnd, latestTileEnd, asOf, stale). */
  private static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("\"stale\"\\s*:\\s*true");
  private static final java.util.regex.Pattern LATEST_TILE_END = java.util.regex.Pattern.compile("\"latestTileEnd\"\\s*:\\s*(-?\\d+)");
  private static final java.util.regex.Pattern BATCH_END = java.util.regex.Pattern.compile("\"batchEnd\"\\s*:\\s*(-?\\d+)");

  /** What the copy found. */
  record Result(long rows, long usable, Long minT, Long maxT, Map<String, Long> badReasons, List<Map<String, String>> badSamples,
      long lateEvents) {
    long bad() {
      return badReasons.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Warehouse warehouse;
  private final ConsistencyPlan plan;
  private final BadRows bad = new BadRows();

  LogRows(Warehouse warehouse, ConsistencyPlan plan) {
    this.warehouse = warehouse;
    this.plan = plan;
  }

  /**
   * @param slices how many threads copy at once, each the log rows whose keys' text hashes to its slice
   *     (parsing the rows is the work; the warehouse takes concurrent appends)
   */
  Result copy(Predicate<String> knownGroupBy, int slices) {
    recreate(plan.logRows(), plan.logRowColumns());
    countOtherGroupBys(knownGroupBy);
    bad.countIngestErrors(warehouse, plan.logTable(), plan.fromMillis(), plan.toMillis());
    List<Slice> done = new ArrayList<>();
    if (slices <= 1) {
      done.add(copySlice(0, 1));
    } else {
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(slices)) {
        List<java.util.concurrent.Future<Slice>> futures = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
          int slice = i;
          futures.add(pool.submit(() -> copySlice(slice, slices)));
        }
        for (var f : futures) done.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WarehouseException("copying the feature log was interrupted");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        throw new WarehouseException("copying the feature log failed", e.getCause());
      }
    }
    long rows = done.stream().mapToLong(Slice::rows).sum();
    long usable = done.stream().mapToLong(Slice::usable).sum();
    Long minT = done.stream().map(Slice::minT).filter(java.util.Objects::nonNull).min(Long::compare).orElse(null);
    Long maxT = done.stream().map(Slice::maxT).filter(java.util.Objects::nonNull).max(Long::compare).orElse(null);
    long late = LateEvents.copy(warehouse, plan);
    RecordTimes.copy(warehouse, plan.groupBy(), plan.recordTimes(), minT, maxT);
    return new Result(rows, usable, minT, maxT, bad.reasons(), bad.samples(), late);
  }

  /** What one slice copied. */
  private record Slice(long rows, long usable, Long minT, Long maxT) {}

  /** Copies the log rows of one slice in one transaction; row ids are {@code n * slices + slice}. */
  private Slice copySlice(int slice, int slices) {
    SqlDialect d = warehouse.dialect();
    long rows = 0;
    long usable = 0;
    Long minT = null;
    Long maxT = null;
    int keys = plan.groupBy().keyNames().size();
    String sql = "SELECT " + d.quote("keys") + ", as_of, version, features, meta, logged_at FROM " + d.table(plan.logTable())
        + " WHERE group_by = ? AND as_of >= ? AND as_of < ?"
        + (slices > 1 ? " AND " + d.partitionOf(List.of(d.quote("keys")), slices) + " = " + slice : "");
    Connection out = warehouse.begin();
    try (Connection in = warehouse.connectForStreaming(); PreparedStatement ps = in.prepareStatement(sql);
        TableWriter writer = d.writer(out, plan.logRows(), plan.logRowColumns())) {
      ps.setFetchSize(warehouse.fetchSize());
      ps.setString(1, plan.groupBy().name());
      ps.setLong(2, plan.fromMillis());
      ps.setLong(3, plan.toMillis());
      try (ResultSet rs = ps.executeQuery()) {
        Object[] row = new Object[plan.logRowColumns().size()];
        while (rs.next()) {
          String keysJson = rs.getString(1);
          long t = rs.getLong(2);
          Object version = rs.getObject(3);
          String features = rs.getString(4);
          String meta = rs.getString(5);
          Object loggedAt = rs.getObject(6);
          long rid = rows * slices + slice;
          rows++;
          String problem = fill(row, keysJson, version, features, meta, keys);
          if (problem != null) {
            bad.add(problem, "{keys=" + keysJson + ", asOf=" + t + ", version=" + version + "}");
            continue;
          }
          row[0] = rid;
          row[1 + keys] = t;
          int fetch = row.length - CheckedGroupBy.FETCH_COLUMNS.size();
          row[fetch] = loggedAt instanceof Number n ? n.longValue() : null;
          row[fetch + 1] = metaTime(meta, LATEST_TILE_END);
          row[fetch + 2] = metaTime(meta, BATCH_END);
          writer.append(row);
          usable++;
          minT = minT == null ? t : Math.min(minT, t);
          maxT = maxT == null ? t : Math.max(maxT, t);
        }
      }
      writer.close();
      out.commit();
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(out);
      throw new WarehouseException("reading the feature log " + plan.logTable() + " failed", e);
    } finally {
      Warehouse.closeQuietly(out);
    }
    return new Slice(rows, usable, minT, maxT);
  }

  /** Fills the work row's keys, version, stale flag and features; returns why the row cannot be checked, or null. */
  private String fill(Object[] row, String keysJson, Object version, String features, String meta, int keyCount) {
    JsonNode keys;
    // The ingest checked that features and meta are JSON objects; features are parsed once, where they
    // are compared, and meta is only looked at for its stale flag.
    if (features == null || !features.startsWith("{")) return "features are not a JSON object";
    try {
      keys = JSON.readTree(keysJson);
    } catch (JacksonException e) {
      return "keys are not JSON";
    }
    if (keys == null || !keys.isObject()) return "keys are not a JSON object";
    for (int i = 0; i < keyCount; i++) {
      String name = plan.groupBy().keyNames().get(i);
      Object v = keyValue(keys.get(name), plan.groupBy().keyType(i));
      if (v == null) return "key '" + name + "' is missing or not a " + plan.groupBy().keyType(i).spec();
      row[1 + i] = v;
    }
    if (keys.size() != keyCount) return "keys are not those of the GroupBy " + plan.groupBy().keyNames();
    if (!(version instanceof Number n) || n.intValue() < 1 || n.intValue() > plan.version()) {
      return "unknown version (the job checks version " + plan.version() + " and the older ones)";
    }
    row[2 + keyCount] = n.intValue();
    row[3 + keyCount] = meta != null && STALE.matcher(meta).find();
    row[4 + keyCount] = features;
    return null;
  }

  /** A time of the logged meta (a flat object), or null when it is absent or null. */
  static Long metaTime(String meta, java.util.regex.Pattern field) {
    if (meta == null) return null;
    var m = field.matcher(meta);
    return m.find() ? Long.parseLong(m.group(1)) : null;
  }

  /** A key value from JSON in the warehouse form of the key's type, or null when it does not fit. */
  static Object keyValue(JsonNode n, DataType type) {
    if (n == null || n.isNull()) return null;
    if (type == DataType.Primitive.STRING) return n.isString() ? n.stringValue() : n.isIntegralNumber() ? n.asString() : null;
    if (type.isIntegral()) {
      if (n.isIntegralNumber() && n.canConvertToLong()) return n.asLong();
      if (n.isString()) {
        try {
          return Long.parseLong(n.stringValue().trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return null;
    }
    if (type == DataType.Primitive.DOUBLE || type == DataType.Primitive.FLOAT) return n.isNumber() ? n.asDouble() : null;
    if (type == DataType.Primitive.BOOLEAN) return n.isBoolean() ? n.booleanValue() : null;
    return null;
  }

  private void recreate(TableName table, List<dev.tessera.batch.warehouse.OutColumn> columns) {
    warehouse.execute("DROP TABLE IF EXISTS " + warehouse.dialect().table(table));
    OutputTables.createOrVerify(warehouse, table, columns);
  }

  /** Rows of the range logged for GroupBys the registry does not know: reported, not checked. */
  private void countOtherGroupBys(Predicate<String> knownGroupBy) {
    String sql = "SELECT group_by, count(*) FROM " + warehouse.dialect().table(plan.logTable())
        + " WHERE as_of >= ? AND as_of < ? GROUP BY group_by";
    Queries.each(warehouse, sql, rs -> {
      String name = rs.getString(1);
      if (name != null && !name.equals(plan.groupBy().name()) && !knownGroupBy.test(name)) {
        long n = rs.getLong(2);
        bad.add("GroupBy not known to the registry", n, "{groupBy=" + name + ", rows=" + n + "}");
      }
    }, plan.fromMillis(), plan.toMillis());
  }
}
