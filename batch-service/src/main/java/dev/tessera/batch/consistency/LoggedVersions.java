package dev.tessera.batch.consistency;

import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.DefinitionsUnavailableException;
import dev.tessera.support.Definitions;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import dev.tessera.batch.warehouse.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The older versions a consistency job's log rows were served under, with their definitions. The
 * prepare step resolves them once from the registry's REST API and records them in the job's
 * execution context, so a restarted job recomputes with exactly the definitions it started with
 * (the registry may have purged a version since). A version whose definition cannot be obtained, or
 * cannot be computed alongside the job's version (other keys, a source batch cannot read), is
 * "unavailable": its rows are compared with the job's version and a mismatch is a
 * {@link Cause#VERSION_MISMATCH}, as before versions were resolved.
 *
 * @param definitions the usable older versions, ascending
 * @param unavailableRows log rows per unavailable version
 */
record LoggedVersions(Map<Integer, PublishedGroupBy> definitions, Map<Integer, Long> unavailableRows) {
  static final String CONTEXT = "tessera.consistency.versions";
  private static final Logger LOG = LoggerFactory.getLogger(LoggedVersions.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  LoggedVersions {
    definitions = java.util.Collections.unmodifiableMap(new TreeMap<>(definitions));
    unavailableRows = java.util.Collections.unmodifiableMap(new TreeMap<>(unavailableRows));
  }

  static LoggedVersions none() {
    return new LoggedVersions(Map.of(), Map.of());
  }

  /** Reads the versions of the copied log rows and asks the definitions for every one but the job's. */
  static LoggedVersions resolve(Warehouse warehouse, ConsistencyPlan plan, Definitions definitions) {
    return resolve(warehouse, plan.logRows(), plan.groupBy(), plan.version(), published(definitions), definitions.description());
  }

  /** A published version of a GroupBy, or empty when the definitions do not have it or cannot be asked now (its rows are then unavailable). */
  static BiFunction<String, Integer, Optional<PublishedGroupBy>> published(Definitions definitions) {
    return (name, v) -> {
      try {
        return definitions.version(name, v).map(LiveGroupBy::published);
      } catch (DefinitionsUnavailableException e) {
        LOG.warn("{} version {} cannot be looked up now: {}", name, v, e.getMessage());
        return Optional.empty();
      }
    };
  }

  /**
   * Reads the versions of the log rows copied to {@code logRows} and looks up every one but
   * {@code version} (the one rows are recomputed with otherwise).
   *
   * @param lookup a published version of the GroupBy, by name and version, or empty
   * @param where where {@code lookup} looks, for the log
   */
  static LoggedVersions resolve(Warehouse warehouse, TableName logRows, CompiledGroupBy live, int version,
      BiFunction<String, Integer, Optional<PublishedGroupBy>> lookup, String where) {
    Map<Integer, Long> rows = new TreeMap<>();
    var d = warehouse.dialect();
    String sql = "SELECT " + d.quote(ConsistencyPlan.VERSION) + ", count(*) FROM " + d.table(logRows)
        + " GROUP BY " + d.quote(ConsistencyPlan.VERSION);
    try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) rows.put(rs.getInt(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new WarehouseException("reading the logged versions of " + live.name() + " failed", e);
    }
    Map<Integer, PublishedGroupBy> found = new TreeMap<>();
    Map<Integer, Long> unavailable = new TreeMap<>();
    for (var e : rows.entrySet()) {
      int v = e.getKey();
      if (v == version) continue;
      PublishedGroupBy p = v < 1 ? null : lookup.apply(live.name(), v).orElse(null);
      String problem = p == null ? where + " did not give it" : incompatibility(live, p);
      if (problem == null) {
        found.put(v, p);
      } else {
        LOG.warn("{} version {}: {}; its {} log rows are compared with version {}", live.name(), v, problem, e.getValue(), version);
        unavailable.put(v, e.getValue());
      }
    }
    return new LoggedVersions(found, unavailable);
  }

  /** Why a version cannot be recomputed alongside the job's (the log rows are keyed and read as the job's version), or null. */
  static String incompatibility(CompiledGroupBy live, PublishedGroupBy other) {
    CompiledGroupBy g;
    try {
      g = GroupByCompiler.compile(other.definition()).orThrow();
      SourcePlan.of(g);
    } catch (RuntimeException e) {
      return "it cannot be computed in batch (" + e.getMessage() + ")";
    }
    if (!g.keyNames().equals(live.keyNames())) return "its keys " + g.keyNames() + " are not " + live.keyNames();
    for (int i = 0; i < g.keyNames().size(); i++) {
      if (!g.keyType(i).equals(live.keyType(i))) return "key '" + g.keyNames().get(i) + "' has another type";
    }
    return null;
  }

  long unavailableRowCount() {
    return unavailableRows.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The usable older versions, compiled, ascending. */
  Map<Integer, CompiledGroupBy> compiled() {
    Map<Integer, CompiledGroupBy> out = new LinkedHashMap<>();
    definitions.forEach((v, p) -> out.put(v, GroupByCompiler.compile(p.definition()).orThrow()));
    return out;
  }

  void record(JobExecution execution) {
    execution.getExecutionContext().putString(CONTEXT, JSON.writeValueAsString(toTree()));
  }

  ObjectNode toTree() {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode defs = n.putObject("definitions");
    definitions.forEach((v, p) -> defs.set(Integer.toString(v), p.toTree()));
    ObjectNode un = n.putObject("unavailableRows");
    unavailableRows.forEach((v, c) -> un.put(Integer.toString(v), c));
    return n;
  }

  /** What the prepare step recorded (none for a job started before versions were resolved). */
  static LoggedVersions of(JobExecution execution) {
    String json = execution.getExecutionContext().getString(CONTEXT, null);
    return json == null ? none() : fromTree(JSON.readTree(json));
  }

  static LoggedVersions fromTree(JsonNode n) {
    Map<Integer, PublishedGroupBy> defs = new TreeMap<>();
    n.get("definitions").properties().forEach(e -> defs.put(Integer.parseInt(e.getKey()), PublishedGroupBy.fromTree(e.getValue())));
    Map<Integer, Long> un = new TreeMap<>();
    n.get("unavailableRows").properties().forEach(e -> un.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
    return new LoggedVersions(defs, un);
  }
}
