package dev.tessera.batch.join;

import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.ReadStats;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.ParquetDatasetExport;
import dev.tessera.batch.warehouse.ParquetExport;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import dev.tessera.batch.warehouse.WarehouseException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The Join training set's prepare and finish steps. */
final class JoinSteps {
  private JoinSteps() {}

  /**
   * Reads the left table, the one time the job does: its rows (in the date range, if any) into the
   * spill with a row id and their epoch-millis time. A Parquet left is read from the files of the
   * range's days only (Lake), like a source. Creates the work tables and measures the left
   * rows (per part: the time range of the rows that have its key).
   */
  static Tasklet prepare(Warehouse warehouse) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      JoinPlan plan = JoinPlan.of(execution);
      SqlDialect d = warehouse.dialect();
      for (CompiledPart p : plan.join().parts()) {
        for (SourcePlan s : SourcePlan.of(p.groupBy())) {
          String problem = RequestSupport.sourceProblem(warehouse, s);
          if (problem != null) throw new WarehouseException("part " + p.name() + ": " + problem);
        }
      }
      if (warehouse.columns(plan.left()).isEmpty()) {
        throw new WarehouseException("the left " + plan.left() + " does not exist any more (or matches no file)");
      }
      List<String> range = new ArrayList<>();
      if (plan.startMillis() != null) range.add(plan.timeExpression(d) + " >= " + plan.startMillis());
      if (plan.endMillis() != null) range.add(plan.timeExpression(d) + " < " + plan.endMillis());
      try (Connection c = warehouse.begin(); Statement s = c.createStatement()) {
        for (TableName t : plan.workTables()) s.execute("DROP TABLE IF EXISTS " + d.table(t));
        s.execute("CREATE TABLE " + d.table(plan.spill()) + " AS SELECT row_number() OVER () - 1 AS " + d.quote(JoinPlan.RID) + ", "
            + plan.timeExpression(d) + " AS " + d.quote(JoinPlan.TS) + ", * FROM " + plan.leftRelation(warehouse)
            + (range.isEmpty() ? "" : " WHERE " + String.join(" AND ", range)));
        for (CompiledPart p : plan.join().parts()) create(s, d, plan.part(p.index()), JoinPlan.partColumns(p));
        if (plan.hasDerivations()) create(s, d, plan.derived(), plan.derivedColumns());
        c.commit();
      }
      List<String> columns = warehouse.columns(plan.spill()).stream().map(WarehouseColumn::name).filter(n -> !JoinPlan.reserved(n)).toList();
      LeftStats stats = measure(warehouse, plan.withStats(new LeftStats(0, 0, null, columns, List.of())));
      execution.getExecutionContext().putString(JoinPlan.LEFT_STATS, stats.toJson());
      execution.getExecutionContext().putLong(JoinPlan.PREPARED_BY, execution.getId());
      return RepeatStatus.FINISHED;
    };
  }

  private static void create(Statement s, SqlDialect d, TableName table, List<OutColumn> columns) throws SQLException {
    s.execute("CREATE TABLE " + d.table(table) + " (" + columns.stream().map(col -> d.quote(col.name()) + " " + d.type(col.kind()))
        .collect(Collectors.joining(", ")) + ")");
  }

  /** Counts and time ranges of the spill, in one scan. */
  private static LeftStats measure(Warehouse warehouse, JoinPlan plan) throws SQLException {
    SqlDialect d = warehouse.dialect();
    String ts = d.quote(JoinPlan.TS);
    StringBuilder sql = new StringBuilder("SELECT count(*), count(" + ts + "), max(" + d.quote(JoinPlan.RID) + ")");
    for (CompiledPart p : plan.join().parts()) {
      String keyed = plan.leftKeys(p).stream().map(k -> d.quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "));
      sql.append(", min(CASE WHEN ").append(keyed).append(" THEN ").append(ts).append(" END)")
          .append(", max(CASE WHEN ").append(keyed).append(" THEN ").append(ts).append(" END)")
          .append(", count(CASE WHEN ").append(keyed).append(" AND ").append(ts).append(" IS NOT NULL THEN 1 END)");
    }
    sql.append(" FROM ").append(d.table(plan.spill()));
    try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
      rs.next();
      List<LeftStats.PartStats> parts = new ArrayList<>();
      for (int i = 0; i < plan.join().parts().size(); i++) {
        parts.add(new LeftStats.PartStats(longOrNull(rs.getObject(4 + 3 * i)), longOrNull(rs.getObject(5 + 3 * i)), rs.getLong(6 + 3 * i)));
      }
      return new LeftStats(rs.getLong(1), rs.getLong(1) - rs.getLong(2), longOrNull(rs.getObject(3)), plan.stats().columns(), parts);
    }
  }

  private static Long longOrNull(Object v) {
    return v == null ? null : ((Number) v).longValue();
  }

  /**
   * Checks the reject limits, joins the spill, the parts' features and the derived values by row id
   * into the output (built under a work name, then put in place of the output table), exports it,
   * drops the work tables and records the result: the Join and GroupBy versions among it.
   */
  static Tasklet finish(Warehouse warehouse, JobRepository repository, int maxSamples, Path exportRoot) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      JoinPlan plan = JoinPlan.of(execution);
      int parts = plan.join().parts().size();
      List<PartitionReport> computed = JobReports.checked(repository, execution, JoinTrainingSetJobConfiguration.COMPUTE,
          parts * plan.partitions(), maxSamples);
      ReadStats total = JobReports.total(computed, maxSamples);
      List<PartitionReport> derived = plan.hasDerivations() ? JobReports.partitions(repository, execution.getJobInstance(),
          JoinTrainingSetJobConfiguration.DERIVE, plan.partitions(), maxSamples) : List.of();

      SqlDialect d = warehouse.dialect();
      build(warehouse, plan);
      try (Connection c = warehouse.begin(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + d.table(plan.output()));
        s.execute("ALTER TABLE " + d.table(plan.staging()) + " RENAME TO " + d.quote(plan.output().name()));
        c.commit();
      }
      warehouse.execute("COMMENT ON TABLE " + d.table(plan.output()) + " IS '" + plan.comment().replace("'", "''") + "'");
      if (plan.parquetPath() != null) ParquetExport.export(warehouse, "SELECT * FROM " + d.table(plan.output()), plan.parquetPath());
      ParquetDatasetExport.Written written = plan.parquetDataset() == null ? null : ParquetDatasetExport.export(warehouse,
          "SELECT * FROM " + d.table(plan.output()), ParquetDatasetExport.dayOfMillis(plan.timeExpression(d)), Path.of(plan.parquetDataset()),
          exportRoot, plan.output().name(), day -> true);
      for (TableName t : plan.workTables()) warehouse.execute("DROP TABLE IF EXISTS " + d.table(t));

      Map<String, Object> result = result(plan, computed, total, derived);
      if (written != null) written.putInto(result);
      JobResults.put(execution, result);
      return RepeatStatus.FINISHED;
    };
  }

  /** Row ids per statement of the output's build: the hash tables of one range of every part fit in the warehouse's memory. */
  static final long BUILD_RANGE = 2_000_000;

  /**
   * The output under its work name: every left column, the parts' features in part order, the
   * derived values; built range of row ids by range, in one transaction.
   */
  private static void build(Warehouse warehouse, JoinPlan plan) {
    SqlDialect d = warehouse.dialect();
    String rid = d.quote(JoinPlan.RID);
    List<String> select = new ArrayList<>();
    plan.stats().columns().forEach(c -> select.add("l." + d.quote(c)));
    for (CompiledPart p : plan.join().parts()) {
      p.features().forEach(f -> select.add("p" + p.index() + "." + d.quote(f.feature()) + " AS " + d.quote(f.name())));
    }
    plan.join().derivedColumns().forEach(c -> select.add("dv." + d.quote(c.name())));
    long rows = plan.stats().maxRid() == null ? 0 : plan.stats().maxRid() + 1;
    try (Connection c = warehouse.begin(); Statement s = c.createStatement()) {
      // No ORDER BY: sorting every output row by row id would cost more than it is worth (as for a GroupBy's training set).
      if (d.unorderedSession() != null) s.execute(d.unorderedSession());
      s.execute("DROP TABLE IF EXISTS " + d.table(plan.staging()));
      for (long from = 0; from == 0 || from < rows; from += BUILD_RANGE) {
        String lo = Long.toString(from);
        String hi = Long.toString(from + BUILD_RANGE);
        StringBuilder q = new StringBuilder("SELECT " + String.join(", ", select) + " FROM " + d.table(plan.spill()) + " l");
        for (CompiledPart p : plan.join().parts()) q.append(JoinPlan.partJoin(d, plan.part(p.index()), "p" + p.index(), lo, hi));
        if (plan.hasDerivations()) q.append(JoinPlan.partJoin(d, plan.derived(), "dv", lo, hi));
        q.append(" WHERE l.").append(rid).append(" >= ").append(lo).append(" AND l.").append(rid).append(" < ").append(hi);
        s.execute((from == 0 ? "CREATE TABLE " + d.table(plan.staging()) + " AS " : "INSERT INTO " + d.table(plan.staging()) + " ") + q);
      }
      c.commit();
    } catch (SQLException e) {
      throw new WarehouseException("writing the training set " + plan.output() + " failed", e);
    }
  }

  private static Map<String, Object> result(JoinPlan plan, List<PartitionReport> computed, ReadStats total, List<PartitionReport> derived) {
    LeftStats stats = plan.stats();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("outputTable", plan.output().toString());
    result.put("join", plan.join().name());
    result.put("joinVersion", plan.resolved().join().version());
    result.put("rows", stats.rows());
    result.put("leftRowsWithoutTime", stats.withoutTime());
    List<Map<String, Object>> parts = new ArrayList<>();
    for (CompiledPart p : plan.join().parts()) {
      List<PartitionReport> mine = computed.subList(p.index() * plan.partitions(), (p.index() + 1) * plan.partitions());
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("part", p.name());
      part.put("groupBy", p.groupBy().name());
      part.put("version", p.groupByVersion());
      part.put("rowsWithFeatures", mine.stream().mapToLong(PartitionReport::rowsWritten).sum());
      part.put("rowsWithoutKeyOrTime", stats.rows() - stats.parts().get(p.index()).rows());
      part.put("entities", mine.stream().mapToLong(PartitionReport::entities).sum());
      part.put("eventsRead", mine.stream().mapToLong(r -> r.stats().read()).sum());
      parts.add(part);
    }
    result.put("parts", parts);
    result.put("eventsRead", total.read());
    result.put("eventsRejected", total.rejected());
    if (plan.hasDerivations()) result.put("derivationErrors", JobReports.counter(derived, DerivedValues.ERRORS));
    if (plan.parquetPath() != null) result.put("parquetPath", plan.parquetPath());
    return result;
  }
}
