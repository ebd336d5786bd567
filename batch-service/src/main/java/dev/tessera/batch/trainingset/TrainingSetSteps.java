package dev.tessera.batch.trainingset;

import dev.tessera.agg.compile.Feature;
import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.ParquetDatasetExport;
import dev.tessera.batch.warehouse.ParquetExport;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import dev.tessera.batch.warehouse.WarehouseException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The training set's prepare and finish steps. */
final class TrainingSetSteps {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TrainingSetSteps() {}

  /**
   * Numbers the left rows (a copy with a row id, unless the left table is a DuckDB base table
   * addressed by its rowid), creates the features table, and measures the left rows (time range,
   * rows without a key or time).
   */
  static Tasklet prepare(Warehouse warehouse) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      TrainingSetPlan plan = TrainingSetPlan.of(execution);
      SqlDialect d = warehouse.dialect();
      for (SourcePlan s : plan.sources()) {
        String problem = RequestSupport.sourceProblem(warehouse, s);
        if (problem != null) throw new WarehouseException(problem);
      }
      String keysNotNull = plan.leftKeys().stream().map(k -> d.quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "));
      String ts = d.quote(TrainingSetPlan.TS);
      ObjectNode stats = JSON.createObjectNode();
      try (Connection c = warehouse.begin(); Statement s = c.createStatement()) {
        if (plan.direct()) {
          // Partitions write the output itself: the left table's columns as they are, then the features.
          s.execute("DROP TABLE IF EXISTS " + d.table(plan.output()));
          s.execute("CREATE TABLE " + d.table(plan.output()) + " AS SELECT * FROM " + d.table(plan.leftTable()) + " LIMIT 0");
          for (var f : FeatureValues.columns(plan.groupBy())) {
            s.execute("ALTER TABLE " + d.table(plan.output()) + " ADD COLUMN " + d.quote(f.name()) + " " + d.type(f.kind()));
          }
        } else if (!plan.byRowId()) {
          s.execute("DROP TABLE IF EXISTS " + d.table(plan.numbered()));
          s.execute("CREATE TABLE " + d.table(plan.numbered()) + " AS SELECT row_number() OVER () AS " + d.quote(TrainingSetPlan.RID)
              + ", " + plan.timeExpression(d) + " AS " + ts + ", * FROM " + plan.leftSource(warehouse));
        }
        if (!plan.direct()) {
          s.execute("DROP TABLE IF EXISTS " + d.table(plan.features()));
          s.execute("CREATE TABLE " + d.table(plan.features()) + " (" + plan.featureColumns().stream()
              .map(col -> d.quote(col.name()) + " " + d.type(col.kind())).collect(Collectors.joining(", ")) + ")");
        }
        try (ResultSet rs = s.executeQuery("SELECT count(*), count(CASE WHEN " + keysNotNull + " AND " + ts + " IS NOT NULL THEN 1 END),"
            + " min(CASE WHEN " + keysNotNull + " THEN " + ts + " END), max(CASE WHEN " + keysNotNull + " THEN " + ts + " END),"
            + " max(" + d.quote(TrainingSetPlan.RID) + ") FROM " + plan.leftRelation(d) + " l")) {
          rs.next();
          stats.put("rows", rs.getLong(1));
          stats.put("usable", rs.getLong(2));
          putNullable(stats, "minT", rs.getObject(3));
          putNullable(stats, "maxT", rs.getObject(4));
          putNullable(stats, "maxRowId", rs.getObject(5));
        }
        c.commit();
      }
      execution.getExecutionContext().putString(TrainingSetPlan.LEFT_STATS, JSON.writeValueAsString(stats));
      return RepeatStatus.FINISHED;
    };
  }

  private static void putNullable(ObjectNode n, String field, Object value) {
    if (value == null) n.putNull(field);
    else n.put(field, ((Number) value).longValue());
  }

  /** Joins the features back to every left column into the output (replaced), in one transaction. */
  private static void joinBack(Warehouse warehouse, TrainingSetPlan plan, String comment) {
    SqlDialect d = warehouse.dialect();
    String leftColumns = warehouse.columns(plan.byRowId() ? plan.left() : plan.numbered()).stream().map(WarehouseColumn::name)
        .filter(n -> !n.equals(TrainingSetPlan.RID) && !n.equals(TrainingSetPlan.TS))
        .map(n -> "l." + d.quote(n)).collect(Collectors.joining(", "));
    String features = plan.groupBy().features().stream().map(Feature::name).map(n -> "f." + d.quote(n)).collect(Collectors.joining(", "));
    String rid = d.quote(TrainingSetPlan.RID);
    try (Connection c = warehouse.begin(); Statement s = c.createStatement()) {
      if (d.unorderedSession() != null) s.execute(d.unorderedSession());
      s.execute("DROP TABLE IF EXISTS " + d.table(plan.output()));
      s.execute("CREATE TABLE " + d.table(plan.output()) + " AS SELECT " + leftColumns + ", " + features + " FROM "
          + plan.leftRelation(d) + " l LEFT JOIN " + d.table(plan.features()) + " f ON l." + rid + " = f." + rid);
      // No ORDER BY: sorting millions of rows by row id would cost more than it is worth (README: order by your own columns).
      s.execute("COMMENT ON TABLE " + d.table(plan.output()) + " IS '" + comment + "'");
      c.commit();
    } catch (SQLException e) {
      throw new WarehouseException("writing the training set " + plan.output() + " failed", e);
    }
  }

  /** Row ids address the left table only while it does not change: a job that saw it change fails instead of mixing rows. */
  private static void checkUnchanged(Warehouse warehouse, TrainingSetPlan plan, tools.jackson.databind.JsonNode before) throws SQLException {
    SqlDialect d = warehouse.dialect();
    try (Connection c = warehouse.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), max(rowid) FROM " + d.table(plan.leftTable()))) {
      rs.next();
      Object maxRowId = rs.getObject(2);
      boolean same = rs.getLong(1) == before.get("rows").asLong()
          && (maxRowId == null ? before.get("maxRowId").isNull() : ((Number) maxRowId).longValue() == before.get("maxRowId").asLong());
      if (!same) {
        throw new WarehouseException("the left table " + plan.left() + " changed while the job ran (rows were added or deleted):"
            + " its row ids no longer match the features; run the job again");
      }
    }
  }

  /** Checks reject limits, joins the features back to every left column into the output, exports, cleans up. */
  static Tasklet finish(Warehouse warehouse, JobRepository repository, String computeStep, int maxSamples, Path exportRoot) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      TrainingSetPlan plan = TrainingSetPlan.of(execution);
      List<PartitionReport> reports = JobReports.checked(repository, execution, computeStep, maxSamples);

      SqlDialect d = warehouse.dialect();
      var left = JSON.readTree(execution.getExecutionContext().getString(TrainingSetPlan.LEFT_STATS));
      String comment = ("tessera training set: GroupBy " + plan.groupBy().name() + " version " + plan.published().version()
          + " as of " + plan.left() + "." + plan.timeColumn() + " (job " + plan.jobId() + ")").replace("'", "''");
      if (plan.direct()) {
        warehouse.execute("COMMENT ON TABLE " + d.table(plan.output()) + " IS '" + comment + "'");
      } else {
        if (plan.byRowId()) checkUnchanged(warehouse, plan, left);
        joinBack(warehouse, plan, comment);
      }
      if (plan.parquetPath() != null) {
        ParquetExport.export(warehouse, "SELECT * FROM " + d.table(plan.output()), plan.parquetPath());
      }
      ParquetDatasetExport.Written written = plan.parquetDataset() == null ? null : ParquetDatasetExport.export(warehouse,
          "SELECT * FROM " + d.table(plan.output()), ParquetDatasetExport.dayOfMillis(plan.timeExpression(d)), Path.of(plan.parquetDataset()),
          exportRoot, plan.output().name(), day -> true);
      if (!plan.direct()) warehouse.execute("DROP TABLE IF EXISTS " + d.table(plan.features()));
      if (!plan.direct() && !plan.byRowId()) warehouse.execute("DROP TABLE IF EXISTS " + d.table(plan.numbered()));

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("outputTable", plan.output().toString());
      result.put("rows", left.get("rows").asLong());
      result.put("rowsWithFeatures", plan.direct() ? JobReports.counter(reports, TrainingSetTask.ROWS_WITH_FEATURES)
          : reports.stream().mapToLong(PartitionReport::rowsWritten).sum());
      result.put("leftRowsWithoutKeyOrTime", left.get("rows").asLong() - left.get("usable").asLong());
      result.put("entities", reports.stream().mapToLong(PartitionReport::entities).sum());
      if (plan.parquetPath() != null) result.put("parquetPath", plan.parquetPath());
      if (written != null) written.putInto(result);
      JobResults.put(execution, result);
      return RepeatStatus.FINISHED;
    };
  }
}
