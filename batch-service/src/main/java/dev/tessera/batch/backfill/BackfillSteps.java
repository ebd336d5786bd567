package dev.tessera.batch.backfill;

import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.ParquetDatasetExport;
import dev.tessera.batch.warehouse.ParquetExport;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.nio.file.Path;
import java.time.LocalDate;
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

  /**
   * The range's snapshots as day folders of the dataset: its days' files of this output replaced,
   * other days and other outputs' files kept (a backfill of another range adds its days beside them).
   */
  private static ParquetDatasetExport.Written exportDataset(Warehouse warehouse, BackfillPlan plan, Path exportRoot) {
    var d = warehouse.dialect();
    String ds = d.quote(BackfillPlan.DS);
    return ParquetDatasetExport.export(warehouse, "SELECT * FROM " + d.table(plan.output()) + " WHERE " + ds + " BETWEEN DATE '"
        + plan.start() + "' AND DATE '" + plan.end() + "'", ds, Path.of(plan.parquetDataset()), exportRoot, plan.output().name(),
        day -> !day.equals("__HIVE_DEFAULT_PARTITION__") && !LocalDate.parse(day).isBefore(plan.start()) && !LocalDate.parse(day).isAfter(plan.end()));
  }

  /** Checks the reject limits over all partitions, exports to Parquet if asked, records the result. */
  static Tasklet finish(Warehouse warehouse, JobRepository repository, String computeStep, int maxSamples, Path exportRoot) {
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
      ParquetDatasetExport.Written written = plan.parquetDataset() == null ? null : exportDataset(warehouse, plan, exportRoot);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("outputTable", plan.output().toString());
      result.put("startDate", plan.start().toString());
      result.put("endDate", plan.end().toString());
      result.put("rowsWritten", reports.stream().mapToLong(PartitionReport::rowsWritten).sum());
      result.put("entities", reports.stream().mapToLong(PartitionReport::entities).sum());
      if (plan.parquetPath() != null) result.put("parquetPath", plan.parquetPath());
      if (written != null) written.putInto(result);
      JobResults.put(execution, result);
      return RepeatStatus.FINISHED;
    };
  }
}
