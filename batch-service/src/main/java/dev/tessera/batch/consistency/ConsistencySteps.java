package dev.tessera.batch.consistency;

import dev.tessera.support.Definitions;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The consistency job's prepare step (copy the log rows to check) and finish step (the report). */
final class ConsistencySteps {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ConsistencySteps() {}

  /** A step of either form of the job: a GroupBy's, or a Join's (a job with the parameter {@code join}). */
  static Tasklet either(Tasklet groupBy, Tasklet join) {
    return (contribution, chunk) -> (JoinConsistencyPlan.isJoin(chunk.getStepContext().getStepExecution().getJobExecution()) ? join : groupBy)
        .execute(contribution, chunk);
  }

  /** Copies the log rows and late events into work tables, creates the per-chunk tables, and records the counts. */
  static Tasklet prepare(Warehouse warehouse, Definitions definitions) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      ConsistencyPlan plan = ConsistencyPlan.of(execution);
      int slices = Math.toIntExact(Math.min(execution.getJobParameters().getLong(JobParameterNames.PARTITIONS),
          Runtime.getRuntime().availableProcessors()));
      LogRows.Result r = new LogRows(warehouse, plan).copy(name -> definitions.live(name).isPresent(), slices);
      // Older versions' definitions, pinned in the context: a restart recomputes with the same ones.
      LoggedVersions.resolve(warehouse, plan, definitions).record(execution);
      SqlDialect d = warehouse.dialect();
      for (var t : List.of(plan.stats(), plan.workSamples())) warehouse.execute("DROP TABLE IF EXISTS " + d.table(t));
      OutputTables.createOrVerify(warehouse, plan.stats(), ConsistencyPlan.statsColumns());
      OutputTables.createOrVerify(warehouse, plan.workSamples(), ConsistencyPlan.workSampleColumns());
      ObjectNode stats = JSON.createObjectNode();
      stats.put("rows", r.rows());
      stats.put("usable", r.usable());
      if (r.minT() == null) stats.putNull("minT");
      else stats.put("minT", r.minT());
      if (r.maxT() == null) stats.putNull("maxT");
      else stats.put("maxT", r.maxT());
      stats.put("lateEvents", r.lateEvents());
      stats.set("badReasons", JSON.valueToTree(r.badReasons()));
      stats.set("badSamples", JSON.valueToTree(r.badSamples()));
      execution.getExecutionContext().putString(ConsistencyPlan.LOG_STATS, JSON.writeValueAsString(stats));
      return RepeatStatus.FINISHED;
    };
  }

  /** Sums the partitions' counts into the report tables, keeps the samples, drops the work tables, records the result. */
  static Tasklet finish(Warehouse warehouse, JobRepository repository, String computeStep, int maxSamples, ConsistencyMetrics metrics) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      ConsistencyPlan plan = ConsistencyPlan.of(execution);
      List<PartitionReport> reports = JobReports.checked(repository, execution, computeStep, maxSamples);

      var log = JSON.readTree(execution.getExecutionContext().getString(ConsistencyPlan.LOG_STATS));
      LoggedVersions versions = LoggedVersions.of(execution);
      ConsistencyReport report = ConsistencyReport.write(warehouse, plan, versions.compiled().values());
      SqlDialect d = warehouse.dialect();
      for (var t : List.of(plan.logRows(), plan.lateEvents(), plan.stats(), plan.workSamples())) {
        warehouse.execute("DROP TABLE IF EXISTS " + d.table(t));
      }

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("reportTable", plan.reportTable().toString());
      result.put("samplesTable", plan.samplesTable().toString());
      result.put("unexplained", report.unexplained());
      result.put("features", report.features());
      result.put("logRows", log.get("rows").asLong());
      Map<String, Object> bad = new LinkedHashMap<>();
      Map<String, Object> reasons = new LinkedHashMap<>(JSON.treeToValue(log.get("badReasons"), Map.class));
      long unreadable = JobReports.counter(reports, Comparison.UNREADABLE);
      if (unreadable > 0) reasons.put("features are not a JSON object", unreadable);
      long badTotal = reasons.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
      bad.put("total", badTotal);
      result.put("fetchesChecked", reports.stream().mapToLong(PartitionReport::rowsWritten).sum() - unreadable);
      bad.put("reasons", reasons);
      bad.put("samples", JSON.treeToValue(log.get("badSamples"), List.class));
      result.put("badRows", bad);
      result.put("lateEvents", log.get("lateEvents").asLong());
      result.put("entities", reports.stream().mapToLong(PartitionReport::entities).sum());
      List<Integer> compared = new java.util.ArrayList<>(versions.definitions().keySet());
      compared.add(plan.version());
      result.put("versionsCompared", compared);
      result.put("versionsUnavailable", versions.unavailableRowCount());
      result.put("unavailableVersions", new java.util.ArrayList<>(versions.unavailableRows().keySet()));
      JobResults.put(execution, result);
      metrics.record(plan.groupBy().name(), report, badTotal, System.currentTimeMillis() / 1000.0);
      return RepeatStatus.FINISHED;
    };
  }
}
