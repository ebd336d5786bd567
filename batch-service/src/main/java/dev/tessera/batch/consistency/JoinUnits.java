package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.definitions.ResolvedJoin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Join consistency job recomputes, as its prepare step found it and recorded it in the job's
 * context (a restart recomputes with exactly these definitions, whatever the registry says by then):
 * the Join versions of the logged rows whose definitions it obtained (the live one always; rows of any
 * other version are recomputed with the live one, and their mismatches are VERSION_MISMATCH), and per
 * part of each of them a <b>unit</b>: the part's GroupBy at the version the part resolves to, the other
 * GroupBy versions its rows were served under (resolved as a GroupBy job resolves them), and the rows'
 * time range.
 *
 * @param joins the recomputed Join versions, ascending
 * @param unavailableRows log rows per Join version that could not be obtained
 * @param units every part of every recomputed Join version, in Join version and part order
 */
record JoinUnits(Map<Integer, ResolvedJoin> joins, Map<Integer, Long> unavailableRows, List<Unit> units) {
  static final String CONTEXT = "tessera.consistency.join";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One part of one recomputed Join version.
   *
   * @param name the part's name: its output prefix, as in the logged rows' meta
   * @param groupBy the GroupBy version rows are recomputed with unless {@code versions} has theirs
   * @param rows the log rows copied for it (rows whose part failed are not)
   * @param failed log rows whose part failed online (not compared)
   */
  record Unit(int index, int joinVersion, int part, String name, PublishedGroupBy groupBy, LoggedVersions versions,
      Long minT, Long maxT, long rows, long failed) {

    CompiledGroupBy compiled() {
      return GroupByCompiler.compile(groupBy.definition()).orThrow();
    }

    /** What the compute partitions recompute for this unit. */
    CheckedGroupBy checked(JoinConsistencyPlan plan) {
      return new CheckedGroupBy(compiled(), groupBy.version(), versions.compiled(), plan.unit(index), plan.lateEvents(index), minT, maxT,
          name);
    }

    ObjectNode toTree() {
      ObjectNode n = JSON.createObjectNode();
      n.put("index", index).put("joinVersion", joinVersion).put("part", part).put("name", name);
      n.set("groupBy", groupBy.toTree());
      n.set("versions", versions.toTree());
      if (minT == null) n.putNull("minT");
      else n.put("minT", minT);
      if (maxT == null) n.putNull("maxT");
      else n.put("maxT", maxT);
      n.put("rows", rows).put("failed", failed);
      return n;
    }

    static Unit fromTree(JsonNode n) {
      return new Unit(n.get("index").asInt(), n.get("joinVersion").asInt(), n.get("part").asInt(), n.get("name").asString(),
          PublishedGroupBy.fromTree(n.get("groupBy")), LoggedVersions.fromTree(n.get("versions")),
          n.get("minT").isNull() ? null : n.get("minT").asLong(), n.get("maxT").isNull() ? null : n.get("maxT").asLong(),
          n.get("rows").asLong(), n.get("failed").asLong());
    }
  }

  JoinUnits {
    joins = Collections.unmodifiableMap(new TreeMap<>(joins));
    unavailableRows = Collections.unmodifiableMap(new TreeMap<>(unavailableRows));
    units = List.copyOf(units);
  }

  /** The units of a recomputed Join version, in part order. */
  List<Unit> of(int joinVersion) {
    return units.stream().filter(u -> u.joinVersion() == joinVersion).toList();
  }

  /** The units of every recomputed Join version, in order: what one partition recomputes, one after the other. */
  List<CheckedGroupBy> checked(JoinConsistencyPlan plan) {
    return units.stream().map(u -> u.checked(plan)).toList();
  }

  /**
   * The Join of a recomputed version compiled against the GroupBy version each part's values were
   * recomputed with: the code that assembled the row online, with the same inputs' types.
   */
  final class Compiled {
    private final Map<String, CompiledJoin> cache = new ConcurrentHashMap<>();
    private final Map<Integer, Map<Integer, CompiledGroupBy>> groupBys = new ConcurrentHashMap<>();

    /**
     * @param partVersions per part, the GroupBy version its values were recomputed with
     * @throws dev.tessera.agg.join.InvalidJoinException when the Join does not compile against them
     */
    CompiledJoin of(int joinVersion, int[] partVersions) {
      return cache.computeIfAbsent(joinVersion + ":" + java.util.Arrays.toString(partVersions), k -> {
        List<Unit> parts = JoinUnits.this.of(joinVersion);
        List<JoinPart> defined = joins.get(joinVersion).join().definition().parts();
        GroupByResolver resolver = (name, pinned) -> {
          for (int i = 0; i < defined.size(); i++) {
            if (defined.get(i).groupBy().equals(name) && Objects.equals(defined.get(i).version(), pinned)) {
              CompiledGroupBy g = version(parts.get(i), partVersions[i]);
              return new GroupByResolver.Found(partVersions[i], g);
            }
          }
          return new GroupByResolver.Missing("GroupBy '" + name + "' is not a part of " + joins.get(joinVersion).join().name());
        };
        return JoinCompiler.compile(joins.get(joinVersion).join().definition(), resolver).orThrow();
      });
    }

    private CompiledGroupBy version(Unit u, int version) {
      return groupBys.computeIfAbsent(u.index(), i -> {
        Map<Integer, CompiledGroupBy> all = new TreeMap<>(u.versions().compiled());
        all.put(u.groupBy().version(), u.compiled());
        return all;
      }).getOrDefault(version, u.compiled());
    }
  }

  /** The parts' GroupBy version a row of {@code joinVersion} is recomputed with when the part has no recomputed values. */
  int[] primaryVersions(int joinVersion) {
    return of(joinVersion).stream().mapToInt(u -> u.groupBy().version()).toArray();
  }

  /** The part each column of the recomputed Join versions comes from (derived columns are not in it), the live version's first. */
  Map<String, String> partOfColumn(int liveVersion) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    List<Integer> order = new ArrayList<>(joins.keySet());
    order.remove(Integer.valueOf(liveVersion));
    order.addFirst(liveVersion);
    for (int v : order) {
      for (CompiledPart p : joins.get(v).compile().parts()) p.features().forEach(f -> out.putIfAbsent(f.name(), p.name()));
      for (Unit u : of(v)) {
        u.versions().compiled().values().forEach(g -> g.features().forEach(f -> out.putIfAbsent(u.name() + "_" + f.name(), u.name())));
      }
    }
    return out;
  }

  long unavailableRowCount() {
    return unavailableRows.values().stream().mapToLong(Long::longValue).sum();
  }

  void record(JobExecution execution) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode js = n.putObject("joins");
    joins.forEach((v, j) -> js.set(Integer.toString(v), JSON.readTree(j.toJson())));
    ObjectNode un = n.putObject("unavailableRows");
    unavailableRows.forEach((v, c) -> un.put(Integer.toString(v), c));
    ArrayNode us = n.putArray("units");
    units.forEach(u -> us.add(u.toTree()));
    execution.getExecutionContext().putString(CONTEXT, JSON.writeValueAsString(n));
  }

  static JoinUnits of(JobExecution execution) {
    String json = execution.getExecutionContext().getString(CONTEXT, null);
    if (json == null) throw new IllegalStateException("job " + execution.getJobInstanceId() + " has no Join units recorded");
    JsonNode n = JSON.readTree(json);
    Map<Integer, ResolvedJoin> joins = new TreeMap<>();
    n.get("joins").properties().forEach(e -> joins.put(Integer.parseInt(e.getKey()), ResolvedJoin.fromJson(e.getValue().toString())));
    Map<Integer, Long> un = new TreeMap<>();
    n.get("unavailableRows").properties().forEach(e -> un.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
    List<Unit> units = new ArrayList<>();
    n.get("units").values().forEach(u -> units.add(Unit.fromTree(u)));
    return new JoinUnits(joins, un, units);
  }
}
