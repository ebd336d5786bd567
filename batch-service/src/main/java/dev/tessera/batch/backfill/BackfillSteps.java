package dev.tessera.batch.backfill;

import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.ParquetExport;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The backfill's prepare and finish steps. */
final class BackfillSteps {
  private BackfillSteps() {}

  /** Checks the sources and creates (or checks) the output table before any partition writes. */
  static Tasklet prepare(Warehouse warehouse) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      BackfillPlan plan = BackfillPlan.of(execution);
      for (SourcePlan s : plan.sources()) {
        String problem = RequestSupport.sourceProblem(warehouse, s);
        if (problem != null) throw new WarehouseException(problem);
      }
      OutputTables.createOrVerify(warehouse, plan.output(), plan.columns());
      OutputTables.comment(warehouse, plan.output(), "tessera backfill: daily snapshots of GroupBy " + plan.groupBy().name()
          + " version " + plan.published().version() + " (values as of the end of each day ds, UTC)");
      return RepeatStatus.FINISHED;
    };
  }

  /** Checks the reject limits over all partitions, exports to Parquet if asked, records the result. */
  static Tasklet finish(Warehouse warehouse, JobRepository repository, String computeStep, int maxSamples) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      BackfillPlan plan = BackfillPlan.of(execution);
      List<PartitionReport> reports = JobReports.checked(repository, execution, computeStep, maxSamples);
      if (plan.parquetPath() != null) {
        var d = warehouse.dialect();
        String keys = plan.groupBy().keyNames().stream().map(d::quote).reduce((a, b) -> a + ", " + b).orElseThrow();
        ParquetExport.export(warehouse, "SELECT * FROM " + d.table(plan.output()) + " WHERE " + d.quote(BackfillPlan.DS)
            + " BETWEEN DATE '" + plan.start() + "' AND DATE '" + plan.end() + "' ORDER BY " + d.quote(BackfillPlan.DS) + ", " + keys,
            plan.parquetPath());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("outputTable", plan.output().toString());
      result.put("startDate", plan.start().toString());
      result.put("endDate", plan.end().toString());
      result.put("rowsWritten", reports.stream().mapToLong(PartitionReport::rowsWritten).sum());
      result.put("entities", reports.stream().mapToLong(PartitionReport::entities).sum());
      if (plan.parquetPath() != null) result.put("parquetPath", plan.parquetPath());
      JobResults.put(execution, result);
      return RepeatStatus.FINISHED;
    };
  }
}
