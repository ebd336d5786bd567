package dev.tessera.batch.consistency;

import dev.tessera.support.JoinResolution;
import dev.tessera.support.Definitions;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.batch.definitions.ResolvedJoin;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.OutColumn;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Join consistency job's prepare step: finds the Join versions of the logged rows of the range and
 * obtains their definitions ({@link JoinUnits}); copies every row into the typed work tables: the
 * row itself ({@link JoinConsistencyPlan#logRows()}: keys, t, versions, served columns, failed parts)
 * and, for each part that did not fail, the part's view of it ({@link JoinConsistencyPlan#unit}: the
 * part's entity key in its GroupBy's key types, the part's logged GroupBy version and stale flag, its
 * served columns), which the compute partitions check as a GroupBy's log rows. Rows whose status is
 * Failure are counted and not copied (nothing was served); rows that cannot be checked are counted by
 * reason. Then resolves each unit's logged GroupBy versions and copies its GroupBy's late dead letters
 * and its events' record times ({@link RecordTimes}), for the attribution.
 */
final class JoinLogRows {
  private static final Logger LOG = LoggerFactory.getLogger(JoinLogRows.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What the copy found. */
  record Result(long rows, long copied, long failureRows, long partialFailureRows, Long minT, Long maxT, Map<String, Long> badReasons,
      List<Map<String, String>> badSamples, long lateEvents, JoinUnits units) {}

  private final Warehouse warehouse;
  private final JoinConsistencyPlan plan;
  private final BadRows bad = new BadRows();

  JoinLogRows(Warehouse warehouse, JoinConsistencyPlan plan) {
    this.warehouse = warehouse;
    this.plan = plan;
  }

  /** A unit while the rows are copied: its fixed part, then what the copy counts. */
  private static final class Building {
    final int index;
    final int joinVersion;
    final CompiledPart part;
    final PublishedGroupBy groupBy;
    final List<OutColumn> columns;
    TableWriter writer;
    Long minT;
    Long maxT;
    long rows;
    long failed;

    Building(int index, int joinVersion, CompiledPart part, PublishedGroupBy groupBy) {
      this.index = index;
      this.joinVersion = joinVersion;
      this.part = part;
      this.groupBy = groupBy;
      this.columns = CheckedGroupBy.logRowColumns(part.groupBy(), true);
    }
  }

  Result copy(Definitions definitions) {
    Map<Integer, Long> perVersion = loggedVersions();
    Map<Integer, ResolvedJoin> recomputed = new TreeMap<>();
    Map<Integer, Long> unavailable = new TreeMap<>();
    recomputed.put(plan.version(), plan.live());
    perVersion.forEach((v, n) -> {
      if (v == plan.version()) return;
      Optional<ResolvedJoin> r = resolve(definitions, v);
      if (r.isPresent()) recomputed.put(v, r.get());
      else unavailable.put(v, n);
    });
    Map<Integer, CompiledJoin> compiled = new TreeMap<>();
    recomputed.forEach((v, r) -> compiled.put(v, r.compile()));
    // The units: every part of every recomputed version, the live version's first.
    Map<Integer, List<Building>> units = new LinkedHashMap<>();
    List<Building> all = new ArrayList<>();
    List<Integer> order = new ArrayList<>(recomputed.keySet());
    order.remove(Integer.valueOf(plan.version()));
    order.addFirst(plan.version());
    for (int v : order) {
      List<Building> parts = new ArrayList<>();
      for (CompiledPart p : compiled.get(v).parts()) {
        Building b = new Building(all.size(), v, p, recomputed.get(v).parts().get(p.index()));
        parts.add(b);
        all.add(b);
      }
      units.put(v, parts);
    }
    recreate(plan.logRows(), JoinConsistencyPlan.logRowColumns());
    for (Building b : all) recreate(plan.unit(b.index), b.columns);
    bad.countIngestErrors(warehouse, plan.logTable(), plan.fromMillis(), plan.toMillis());

    long[] counts = scan(compiled, units, all);
    Long minT = all.stream().map(b -> b.minT).filter(java.util.Objects::nonNull).min(Long::compare).orElse(null);
    Long maxT = all.stream().map(b -> b.maxT).filter(java.util.Objects::nonNull).max(Long::compare).orElse(null);

    // Each unit's logged GroupBy versions (a part follows its GroupBy's live version), and its GroupBy's late events.
    List<JoinUnits.Unit> done = new ArrayList<>();
    Map<String, Long> late = new LinkedHashMap<>();
    for (Building b : all) {
      CompiledGroupBy g = b.part.groupBy();
      LoggedVersions versions = LoggedVersions.resolve(warehouse, plan.unit(b.index), g, b.groupBy.version(),
          LoggedVersions.published(definitions), definitions.description());
      done.add(new JoinUnits.Unit(b.index, b.joinVersion, b.part.index(), b.part.name(), b.groupBy, versions, b.minT, b.maxT, b.rows,
          b.failed));
      long n = LateEvents.copy(warehouse, g, plan.deadLetterTable(), plan.lateEvents(b.index), plan.toMillis());
      late.putIfAbsent(g.name(), n);
      RecordTimes.copy(warehouse, g, plan.recordTimes(b.index), b.minT, b.maxT);
    }
    return new Result(counts[0], counts[1], counts[2], counts[3], minT, maxT, bad.reasons(), bad.samples(),
        late.values().stream().mapToLong(Long::longValue).sum(), new JoinUnits(recomputed, unavailable, done));
  }

  /** Log rows of the Join in the range, per logged Join version (rows without one are counted as bad rows when copied). */
  private Map<Integer, Long> loggedVersions() {
    Map<Integer, Long> out = new TreeMap<>();
    Queries.each(warehouse, "SELECT version, count(*) FROM " + warehouse.dialect().table(plan.joinLog())
        + " WHERE join_name = ? AND as_of >= ? AND as_of < ? AND version IS NOT NULL GROUP BY version",
        rs -> out.put(rs.getInt(1), rs.getLong(2)), plan.name(), plan.fromMillis(), plan.toMillis());
    return out;
  }

  /**
   * An older (or unknown) Join version with the GroupBy version each part resolves to, when the Join
   * definitions have it and it compiles and can be read in batch; empty otherwise (its rows are then
   * recomputed with the live version).
   */
  private Optional<ResolvedJoin> resolve(Definitions definitions, int version) {
    String problem;
    try {
      PublishedJoin published = definitions.joinVersion(plan.name(), version).orElse(null);
      if (published == null) {
        problem = definitions.description() + " does not have it";
      } else {
        JoinResolution c = definitions.resolve(published);
        if (c.ok()) {
          problem = batchProblem(c.compiled());
          if (problem == null) return Optional.of(ResolvedJoin.of(c));
        } else {
          problem = "it does not compile against the GroupBys now: " + c.problems();
        }
      }
    } catch (RuntimeException e) {
      problem = "it could not be obtained: " + e.getMessage();
    }
    LOG.warn("Join {} version {}: {}; its log rows are compared with version {}", plan.name(), version, problem, plan.version());
    return Optional.empty();
  }

  private String batchProblem(CompiledJoin join) {
    for (CompiledPart p : join.parts()) {
      try {
        for (SourcePlan s : SourcePlan.of(p.groupBy())) {
          String problem = RequestSupport.sourceProblem(warehouse, s);
          if (problem != null) return "part " + p.name() + ": " + problem;
        }
      } catch (RuntimeException e) {
        return "part " + p.name() + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** Copies the rows in one transaction; returns {rows, copied, Failure rows, PartialFailure rows}. */
  private long[] scan(Map<Integer, CompiledJoin> compiled, Map<Integer, List<Building>> units, List<Building> all) {
    SqlDialect d = warehouse.dialect();
    long rows = 0;
    long copied = 0;
    long failures = 0;
    long partial = 0;
    String sql = "SELECT version, as_of, status, " + d.quote("keys") + ", features, meta, logged_at FROM " + d.table(plan.joinLog())
        + " WHERE join_name = ? AND as_of >= ? AND as_of < ?";
    Connection out = warehouse.begin();
    try (Connection in = warehouse.connectForStreaming(); PreparedStatement ps = in.prepareStatement(sql);
        TableWriter spill = d.writer(out, plan.logRows(), JoinConsistencyPlan.logRowColumns())) {
      for (Building b : all) b.writer = d.writer(out, plan.unit(b.index), b.columns);
      ps.setFetchSize(warehouse.fetchSize());
      ps.setString(1, plan.name());
      ps.setLong(2, plan.fromMillis());
      ps.setLong(3, plan.toMillis());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows++;
          Object version = rs.getObject(1);
          long t = rs.getLong(2);
          String status = rs.getString(3);
          String keysText = rs.getString(4);
          String where = "{keys=" + keysText + ", asOf=" + t + ", version=" + version + ", status=" + status + "}";
          if ("Failure".equals(status)) {
            failures++;
            continue;
          }
          if (!"Success".equals(status) && !"PartialFailure".equals(status)) {
            bad.add("status is not Success, PartialFailure or Failure", where);
            continue;
          }
          if (!(version instanceof Number n)) {
            bad.add("no Join version", where);
            continue;
          }
          int logged = n.intValue();
          int recomputedWith = compiled.containsKey(logged) ? logged : plan.version();
          Parsed p = parse(keysText, rs.getString(5), rs.getString(6));
          if (p.problem != null) {
            bad.add(p.problem, where);
            continue;
          }
          List<Object[]> partRows = new ArrayList<>();
          List<String> failed = new ArrayList<>();
          Object loggedAt = rs.getObject(7);
          String problem = partRows(compiled.get(recomputedWith), units.get(recomputedWith), p, copied, t,
              loggedAt instanceof Number at ? at.longValue() : null, logged, recomputedWith != logged, partRows, failed);
          if (problem != null) {
            bad.add(problem, where);
            continue;
          }
          long rid = copied++;
          if ("PartialFailure".equals(status)) partial++;
          spill.append(new Object[] {rid, t, logged, recomputedWith, p.keys.toString(), p.featuresText,
              failed.isEmpty() ? null : String.join(",", failed)});
          List<Building> parts = units.get(recomputedWith);
          for (int i = 0; i < parts.size(); i++) {
            Building b = parts.get(i);
            Object[] row = partRows.get(i);
            if (row == null) {
              b.failed++;
              continue;
            }
            b.writer.append(row);
            b.rows++;
            b.minT = b.minT == null ? t : Math.min(b.minT, t);
            b.maxT = b.maxT == null ? t : Math.max(b.maxT, t);
          }
        }
      }
      for (Building b : all) b.writer.close();
      spill.close();
      out.commit();
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(out);
      throw new WarehouseException("reading the Join rows of the feature log " + plan.joinLog() + " failed", e);
    } finally {
      for (Building b : all) Warehouse.closeQuietly(b.writer);
      Warehouse.closeQuietly(out);
    }
    return new long[] {rows, copied, failures, partial};
  }

  /** A logged row's JSON columns, parsed, or why it cannot be checked. */
  private record Parsed(JsonNode keys, JsonNode features, String featuresText, JsonNode parts, String problem) {
    static Parsed bad(String problem) {
      return new Parsed(null, null, null, null, problem);
    }
  }

  private static Parsed parse(String keysText, String featuresText, String metaText) {
    JsonNode keys;
    JsonNode features;
    JsonNode meta;
    try {
      keys = keysText == null ? null : JSON.readTree(keysText);
      features = featuresText == null ? null : JSON.readTree(featuresText);
      meta = metaText == null ? null : JSON.readTree(metaText);
    } catch (JacksonException e) {
      return Parsed.bad("keys, features or meta are not JSON");
    }
    if (keys == null || !keys.isObject()) return Parsed.bad("keys are not a JSON object");
    if (features == null || !features.isObject()) return Parsed.bad("features are not a JSON object");
    JsonNode parts = meta == null ? null : meta.get("parts");
    return new Parsed(keys, features, featuresText, parts != null && parts.isObject() ? parts : null, null);
  }

  /**
   * Each part's log row of one logged row into {@code out} (null for a part that failed online, whose
   * name goes to {@code failed}), or why the row cannot be checked. The fetch columns are as a GroupBy
   * row's ({@link CheckedGroupBy#FETCH_COLUMNS}): the row's log time, and the part's {@code latestTileEnd}
   * and {@code batchEnd} from its meta.
   *
   * @param loggedAt when the fetch was logged, null when unknown
   */
  private static String partRows(CompiledJoin join, List<Building> units, Parsed p, long rid, long t, Long loggedAt, int loggedVersion,
      boolean otherVersion, List<Object[]> out, List<String> failed) {
    for (CompiledPart part : join.parts()) {
      JsonNode meta = p.parts == null ? null : p.parts.get(part.name());
      if (meta != null && meta.hasNonNull("error")) {
        failed.add(part.name());
        out.add(null);
        continue;
      }
      CompiledGroupBy g = part.groupBy();
      int keys = g.keyNames().size();
      Object[] row = new Object[units.get(part.index()).columns.size()];
      row[0] = rid;
      for (int i = 0; i < keys; i++) {
        String column = part.leftKeyColumns().get(i);
        Object v = LogRows.keyValue(p.keys.get(column), g.keyType(i));
        if (v == null) return "key column '" + column + "' of part " + part.name() + " is missing or not a " + g.keyType(i).spec();
        row[1 + i] = v;
      }
      JsonNode version = meta == null ? null : meta.get("version");
      row[1 + keys] = t;
      // a part whose GroupBy version the row does not say is a version the job cannot know
      row[2 + keys] = version != null && version.isIntegralNumber() && version.canConvertToInt() ? version.asInt() : 0;
      row[3 + keys] = meta != null && meta.path("stale").asBoolean(false);
      row[4 + keys] = served(p.features, part.name() + "_").toString();
      row[5 + keys] = p.keys.toString();
      row[6 + keys] = loggedVersion;
      row[7 + keys] = otherVersion;
      int fetch = row.length - CheckedGroupBy.FETCH_COLUMNS.size();
      row[fetch] = loggedAt;
      row[fetch + 1] = metaTime(meta, "latestTileEnd");
      row[fetch + 2] = metaTime(meta, "batchEnd");
      out.add(row);
    }
    return null;
  }

  /** A time of a part's meta, or null when it is absent, null or not a whole number. */
  static Long metaTime(JsonNode meta, String field) {
    JsonNode n = meta == null ? null : meta.get(field);
    return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : null;
  }

  /** The served columns a part's can be among: those named {@code <part>_...} (the check looks its own up by name). */
  private static ObjectNode served(JsonNode features, String prefix) {
    ObjectNode out = JSON.createObjectNode();
    features.properties().forEach(e -> {
      if (e.getKey().startsWith(prefix)) out.set(e.getKey(), e.getValue());
    });
    return out;
  }

  private void recreate(TableName table, List<OutColumn> columns) {
    warehouse.execute("DROP TABLE IF EXISTS " + warehouse.dialect().table(table));
    OutputTables.createOrVerify(warehouse, table, columns);
  }

  /** Failed parts of a work row of {@link JoinConsistencyPlan#logRows()}. */
  static Set<String> failedParts(String text) {
    return text == null || text.isEmpty() ? Set.of() : new HashSet<>(List.of(text.split(",")));
  }
}
