package dev.tessera.batch.consistency;

import dev.tessera.batch.definitions.ResolvedJoin;
import dev.tessera.batch.ingest.IngestFormat;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.join.JobJoin;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.TableName;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A Join consistency job's fixed inputs. The prepare step copies the Join's logged rows of the date
 * range into {@link #logRows()} (one row per served Join row: its keys, t, Join versions, served
 * columns and failed parts) and, for every part of every Join version it recomputes (a "unit",
 * {@link JoinUnits}), the part's view of them into {@link #unit(int)}: a GroupBy consistency job's log
 * rows, keyed by the part's entity. The compute partitions recompute and compare every unit as a
 * GroupBy job does, writing each row's recomputed features to {@link #values()}; the derive
 * partitions rebuild each row's derived columns from them with the Join's own code and compare those;
 * both count into {@link #stats()} and {@link #workSamples()}, which the finish step sums.
 *
 * @param live the Join's live version and its parts' GroupBy versions when the job was requested
 * @param logTable the feature log (its Join rows are in {@link #joinLog()})
 */
record JoinConsistencyPlan(ResolvedJoin live, TableName logTable, TableName deadLetterTable, LocalDate startDate, LocalDate endDate,
    dev.tessera.batch.consistency.ComparisonRule.Tolerances tolerances, int samples, int partitions, long jobId) {
  /** Work table columns of the log rows beyond {@link ConsistencyPlan#RID}, {@link ConsistencyPlan#TS}. */
  static final String LOGGED_VERSION = "__tessera_logged_version";
  static final String JOIN_VERSION = "__tessera_version";
  static final String KEYS = "__tessera_keys";
  static final String FEATURES = ConsistencyPlan.FEATURES;
  static final String FAILED_PARTS = "__tessera_failed_parts";

  static JoinConsistencyPlan of(JobExecution execution) {
    JobParameters p = execution.getJobParameters();
    String dlt = p.getString(ConsistencyPlan.DEAD_LETTER_TABLE);
    return new JoinConsistencyPlan(JobJoin.recorded(execution),
        TableName.parse(p.getString(ConsistencyPlan.LOG_TABLE)),
        dlt == null ? null : TableName.parse(dlt), LocalDate.parse(p.getString(ConsistencyPlan.START)),
        LocalDate.parse(p.getString(ConsistencyPlan.END)), ConsistencyPlan.tolerances(p), Math.toIntExact(p.getLong(ConsistencyPlan.SAMPLES)),
        Math.toIntExact(p.getLong(JobParameterNames.PARTITIONS)), execution.getJobInstanceId());
  }

  /** Whether {@code execution} is a Join's consistency job. */
  static boolean isJoin(JobExecution execution) {
    return execution.getJobParameters().getString(JobJoin.JOIN) != null;
  }

  String name() {
    return live.join().name();
  }

  int version() {
    return live.join().version();
  }

  /** The Join rows of the feature log. */
  TableName joinLog() {
    return logTable.withSuffix(IngestFormat.JOIN_TABLE_SUFFIX);
  }

  long fromMillis() {
    return ConsistencyPlan.dayStart(startDate);
  }

  long toMillis() {
    return ConsistencyPlan.dayStart(endDate.plusDays(1));
  }

  /** A Join's report tables: named apart from a GroupBy's of the same name (they have their own namespace). */
  static TableName reportTable(String join) {
    return new TableName(null, join + "_join_consistency_daily");
  }

  static TableName samplesTable(String join) {
    return new TableName(null, join + "_join_consistency_samples");
  }

  TableName reportTable() {
    return reportTable(name());
  }

  TableName samplesTable() {
    return samplesTable(name());
  }

  private TableName work(String suffix) {
    return new TableName(logTable.schema(), "tessera_tmp_" + jobId + "_" + suffix);
  }

  TableName logRows() {
    return work("log");
  }

  /** Unit {@code i}'s log rows, keyed by its part's entity ({@link CheckedGroupBy#logRowColumns}). */
  TableName unit(int i) {
    return work("u" + i);
  }

  TableName lateEvents(int i) {
    return work("late" + i);
  }

  /** Unit {@code i}'s events with their record times, for the attribution ({@link RecordTimes}). */
  TableName recordTimes(int i) {
    return work("arrivals" + i);
  }

  TableName values() {
    return work("values");
  }

  TableName stats() {
    return work("stats");
  }

  TableName workSamples() {
    return work("samples");
  }

  List<TableName> workTables(int units) {
    List<TableName> out = new ArrayList<>(List.of(logRows(), values(), stats(), workSamples()));
    for (int i = 0; i < units; i++) {
      out.add(unit(i));
      out.add(lateEvents(i));
      out.add(recordTimes(i));
    }
    return out;
  }

  static List<OutColumn> logRowColumns() {
    return List.of(new OutColumn(ConsistencyPlan.RID, ColumnKind.BIGINT), new OutColumn(ConsistencyPlan.TS, ColumnKind.BIGINT),
        new OutColumn(LOGGED_VERSION, ColumnKind.INTEGER), new OutColumn(JOIN_VERSION, ColumnKind.INTEGER),
        new OutColumn(KEYS, ColumnKind.TEXT), new OutColumn(FEATURES, ColumnKind.TEXT), new OutColumn(FAILED_PARTS, ColumnKind.TEXT));
  }

  /** A unit row's recomputed features (JSON by the GroupBy's names) and the cause of each mismatching one, per compute chunk. */
  static List<OutColumn> valueColumns() {
    return List.of(new OutColumn("partition_id", ColumnKind.INTEGER), new OutColumn("chunk", ColumnKind.BIGINT),
        new OutColumn(ConsistencyPlan.RID, ColumnKind.BIGINT), new OutColumn("unit", ColumnKind.INTEGER),
        new OutColumn("version", ColumnKind.INTEGER), new OutColumn("features", ColumnKind.TEXT), new OutColumn("causes", ColumnKind.TEXT));
  }

  /** The report: a GroupBy's, with the part each column comes from (null for a derived column). */
  static List<OutColumn> reportColumns() {
    List<OutColumn> out = new ArrayList<>(ConsistencyPlan.reportColumns());
    out.add(2, new OutColumn("part", ColumnKind.TEXT));
    return out;
  }

  static List<OutColumn> reportSampleColumns() {
    List<OutColumn> out = new ArrayList<>(ConsistencyPlan.reportSampleColumns());
    out.add(1, new OutColumn("part", ColumnKind.TEXT));
    return out;
  }

  /** The stats and samples of derive partition {@code slice} go under this partition number (after the compute partitions'). */
  int derivePartition(int slice) {
    return partitions + slice;
  }
}
