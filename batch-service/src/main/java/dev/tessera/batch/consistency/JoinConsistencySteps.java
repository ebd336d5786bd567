package dev.tessera.batch.consistency;

import dev.tessera.support.Definitions;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A Join consistency job's prepare step (the log rows and units to check) and finish step (the report). */
final class JoinConsistencySteps {
  /** Job context: how many log rows the prepare step copied (row ids are 0 to this - 1). */
  static final String COPIED = "tessera.consistency.copied";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JoinConsistencySteps() {}

  static Tasklet prepare(Warehouse warehouse, Definitions definitions) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      JoinConsistencyPlan plan = JoinConsistencyPlan.of(execution);
      JoinLogRows.Result r = new JoinLogRows(warehouse, plan).copy(definitions);
      // The definitions, pinned in the context: a restart recomputes with the same ones.
      r.units().record(execution);
      SqlDialect d = warehouse.dialect();
      for (TableName t : List.of(plan.stats(), plan.workSamples(), plan.values())) warehouse.execute("DROP TABLE IF EXISTS " + d.table(t));
      OutputTables.createOrVerify(warehouse, plan.stats(), ConsistencyPlan.statsColumns());
      OutputTables.createOrVerify(warehouse, plan.workSamples(), ConsistencyPlan.workSampleColumns());
      OutputTables.createOrVerify(warehouse, plan.values(), JoinConsistencyPlan.valueColumns());
      ObjectNode stats = JSON.createObjectNode();
      stats.put("rows", r.rows());
      stats.put("copied", r.copied());
      stats.put("failureRows", r.failureRows());
      stats.put("partialFailureRows", r.partialFailureRows());
      stats.put("lateEvents", r.lateEvents());
      stats.set("badReasons", JSON.valueToTree(r.badReasons()));
      stats.set("badSamples", JSON.valueToTree(r.badSamples()));
      execution.getExecutionContext().putString(ConsistencyPlan.LOG_STATS, JSON.writeValueAsString(stats));
      execution.getExecutionContext().putLong(COPIED, r.copied());
      return RepeatStatus.FINISHED;
    };
  }

  /** Sums both steps' counts into the report tables, drops the work tables, records the result and the gauges. */
  static Tasklet finish(Warehouse warehouse, JobRepository repository, int maxSamples, ConsistencyMetrics metrics) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      JoinConsistencyPlan plan = JoinConsistencyPlan.of(execution);
      JoinUnits units = JoinUnits.of(execution);
      List<PartitionReport> computed = JobReports.checked(repository, execution, ConsistencyJobConfiguration.COMPUTE, plan.partitions(),
          maxSamples);
      List<PartitionReport> derived = JobReports.partitions(repository, execution.getJobInstance(), ConsistencyJobConfiguration.DERIVE,
          plan.partitions(), maxSamples);

      Map<String, Boolean> numeric = numeric(units, plan);
      Map<String, String> partOf = units.partOfColumn(plan.version());
      CompiledJoin live = plan.live().compile();
      List<String> columns = new ArrayList<>();
      live.featureColumns().forEach(c -> columns.add(c.name()));
      live.derivedColumns().forEach(c -> columns.add(c.name()));
      ConsistencyReport report = ConsistencyReport.write(warehouse, new ConsistencyReport.Target(plan.stats(), plan.workSamples(),
          plan.reportTable(), plan.samplesTable(), plan.startDate(), plan.endDate(), plan.version(), plan.jobId(), plan.samples(), columns,
          numeric, partOf, "tessera consistency: Join " + plan.name() + ", logged rows vs point-in-time values and derivations, per column"
              + " and day (last job " + plan.jobId() + ")"));
      SqlDialect d = warehouse.dialect();
      for (TableName t : plan.workTables(units.units().size())) warehouse.execute("DROP TABLE IF EXISTS " + d.table(t));

      JsonNode log = JSON.readTree(execution.getExecutionContext().getString(ConsistencyPlan.LOG_STATS));
      long derivedRows = derived.stream().mapToLong(PartitionReport::rowsWritten).sum();
      List<Map<String, Object>> parts = parts(units, report, computed, derivedRows, plan.version());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("join", plan.name());
      result.put("joinVersion", plan.version());
      result.put("reportTable", plan.reportTable().toString());
      result.put("samplesTable", plan.samplesTable().toString());
      result.put("unexplained", report.unexplained());
      result.put("features", report.features());
      result.put("parts", parts);
      result.put("logRows", log.get("rows").asLong());
      result.put("rowsChecked", log.get("copied").asLong());
      result.put("failureRows", log.get("failureRows").asLong());
      result.put("partialFailureRows", log.get("partialFailureRows").asLong());
      Map<String, Object> bad = new LinkedHashMap<>();
      Map<String, Object> reasons = new LinkedHashMap<>(JSON.treeToValue(log.get("badReasons"), Map.class));
      long unreadable = JobReports.counter(computed, Comparison.UNREADABLE);
      if (unreadable > 0) reasons.put("features are not a JSON object", unreadable);
      long badTotal = reasons.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
      bad.put("total", badTotal);
      bad.put("reasons", reasons);
      bad.put("samples", JSON.treeToValue(log.get("badSamples"), List.class));
      result.put("badRows", bad);
      result.put("lateEvents", log.get("lateEvents").asLong());
      result.put("entities", computed.stream().mapToLong(PartitionReport::entities).sum());
      result.put("derivedRowsChecked", derivedRows);
      result.put("derivedRowsNotChecked", JobReports.counter(derived, DerivedCheck.SKIPPED));
      result.put("derivationErrors", JobReports.counter(derived, DerivedCheck.ERRORS));
      result.put("joinVersionsCompared", new ArrayList<>(units.joins().keySet()));
      result.put("joinVersionsUnavailable", units.unavailableRowCount());
      result.put("unavailableJoinVersions", new ArrayList<>(units.unavailableRows().keySet()));
      result.put("groupByVersionsUnavailable", units.units().stream().mapToLong(u -> u.versions().unavailableRowCount()).sum());
      JobResults.put(execution, result);
      metrics.recordJoin(plan.name(), report, parts, badTotal, System.currentTimeMillis() / 1000.0);
      return RepeatStatus.FINISHED;
    };
  }

  /** Whether SMAPE and the largest difference mean something, per column of every recomputed version. */
  private static Map<String, Boolean> numeric(JoinUnits units, JoinConsistencyPlan plan) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (JoinUnits.Unit u : units.units()) {
      List<CompiledGroupBy> versions = new ArrayList<>(List.of(u.compiled()));
      versions.addAll(u.versions().compiled().values());
      for (CompiledGroupBy g : versions) {
        ComparisonRule.of(g, plan.tolerances()).forEach(r -> out.putIfAbsent(u.name() + "_" + r.feature(), r.numeric()));
      }
    }
    for (var j : units.joins().values()) {
      for (OutputColumn c : j.compile().derivedColumns()) {
        out.putIfAbsent(c.name(), ComparisonRule.derived(c.name(), c.type(), plan.tolerances()).numeric());
      }
    }
    return out;
  }

  /**
   * The per-part breakdown: each part's rows compared and rows whose part failed online, and the sums
   * over its columns (values compared, mismatches by cause); then the derived columns' together.
   */
  static List<Map<String, Object>> parts(JoinUnits units, ConsistencyReport report, List<PartitionReport> computed, long derivedRows,
      int liveVersion) {
    Map<String, Map<String, Object>> byPart = new LinkedHashMap<>();
    Map<String, Set<Integer>> versions = new LinkedHashMap<>();
    List<JoinUnits.Unit> ordered = new ArrayList<>(units.of(liveVersion));
    units.units().stream().filter(u -> u.joinVersion() != liveVersion).forEach(ordered::add);
    for (JoinUnits.Unit u : ordered) {
      Map<String, Object> p = byPart.computeIfAbsent(u.name(), n -> newPart(n, u.groupBy().name()));
      p.merge("rowsCompared", JobReports.counter(computed, JoinConsistencyTask.rowsCounter(u.index())), (a, b) -> (Long) a + (Long) b);
      p.merge("rowsFailed", u.failed(), (a, b) -> (Long) a + (Long) b);
      Set<Integer> vs = versions.computeIfAbsent(u.name(), n -> new java.util.TreeSet<>());
      vs.add(u.groupBy().version());
      vs.addAll(u.versions().definitions().keySet());
    }
    for (Map<String, Object> f : report.features()) {
      String part = (String) f.get("part");
      Map<String, Object> p = part == null ? byPart.computeIfAbsent(DERIVED, n -> newPart(null, null)) : byPart.get(part);
      if (p == null) continue;
      if (part == null) p.put("rowsCompared", derivedRows);
      ConsistencyReport.addCounts(p, "valuesCompared", f);
      @SuppressWarnings("unchecked")
      List<String> cs = (List<String>) p.get("columns");
      cs.add((String) f.get("feature"));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byPart.forEach((name, p) -> {
      ConsistencyReport.putRate(p, "valuesCompared");
      if (versions.containsKey(name)) p.put("versionsCompared", new ArrayList<>(versions.get(name)));
      out.add(p);
    });
    return out;
  }

  private static final String DERIVED = "\u0000derived";

  private static Map<String, Object> newPart(String name, String groupBy) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("part", name);
    p.put("derived", name == null);
    p.put("groupBy", groupBy);
    p.put("rowsCompared", 0L);
    p.put("rowsFailed", 0L);
    p.put("valuesCompared", 0L);
    p.put("mismatches", 0L);
    p.put("causes", ConsistencyReport.noCauses());
    p.put("columns", new ArrayList<String>());
    return p;
  }
}
