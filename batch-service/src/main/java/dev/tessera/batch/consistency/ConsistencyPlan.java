package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.jobs.JobGroupBy;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.TableName;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A consistency job's fixed inputs. The job is a training set whose left table is the feature log:
 * the prepare step copies this GroupBy's logged fetches of the date range into {@link #logRows()}
 * (typed key columns, t, version, stale flag, served features) and its late dead letters into
 * {@link #lateEvents()}; partitions recompute every row at its t and compare, writing counts per
 * feature and day to {@link #stats()} and mismatch samples to {@link #workSamples()}; the finish
 * step sums them into {@link #reportTable()} and {@link #samplesTable()}.
 */
record ConsistencyPlan(PublishedGroupBy published, CompiledGroupBy groupBy, TableName logTable, TableName deadLetterTable,
    LocalDate startDate, LocalDate endDate, ComparisonRule.Tolerances tolerances, int samples, long jobId) {
  static final String START = "startDate";
  static final String END = "endDate";
  static final String LOG_TABLE = "logTable";
  static final String DEAD_LETTER_TABLE = "deadLetterTable";
  static final String RELATIVE = "relativeTolerance";
  static final String MOMENTS = "momentsTolerance";
  static final String SKETCH = "sketchErrors";
  static final String SAMPLES = "samples";
  /** Job context: what the prepare step measured (rows, time range, bad rows). */
  static final String LOG_STATS = "tessera.consistency.log";
  static final String RID = "__tessera_rid";
  static final String TS = "__tessera_ts";
  static final String VERSION = "__tessera_version";
  static final String STALE = "__tessera_stale";
  static final String FEATURES = "__tessera_features";
  static final String EVENT_TIME = "__tessera_event_time";

  static ConsistencyPlan of(JobExecution execution) {
    PublishedGroupBy published = JobGroupBy.published(execution);
    CompiledGroupBy g = GroupByCompiler.compile(published.definition()).orThrow();
    JobParameters p = execution.getJobParameters();
    String dlt = p.getString(DEAD_LETTER_TABLE);
    return new ConsistencyPlan(published, g, TableName.parse(p.getString(LOG_TABLE)), dlt == null ? null : TableName.parse(dlt),
        LocalDate.parse(p.getString(START)), LocalDate.parse(p.getString(END)), tolerances(p),
        Math.toIntExact(p.getLong(SAMPLES)), execution.getJobInstanceId());
  }

  static ComparisonRule.Tolerances tolerances(JobParameters p) {
    return new ComparisonRule.Tolerances(p.getDouble(RELATIVE), p.getDouble(MOMENTS), p.getDouble(SKETCH));
  }

  /** Midnight UTC of {@code day}, epoch millis. */
  static long dayStart(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  int version() {
    return published.version();
  }

  /** First t of the range (inclusive), epoch millis. */
  long fromMillis() {
    return dayStart(startDate);
  }

  /** End of the range (exclusive): the midnight after {@code endDate}. */
  long toMillis() {
    return dayStart(endDate.plusDays(1));
  }

  static TableName reportTable(String groupBy) {
    return new TableName(null, groupBy + "_consistency_daily");
  }

  static TableName samplesTable(String groupBy) {
    return new TableName(null, groupBy + "_consistency_samples");
  }

  TableName reportTable() {
    return reportTable(groupBy.name());
  }

  TableName samplesTable() {
    return samplesTable(groupBy.name());
  }

  private TableName work(String suffix) {
    return new TableName(logTable.schema(), "tessera_tmp_" + jobId + "_" + suffix);
  }

  TableName logRows() {
    return work("log");
  }

  TableName lateEvents() {
    return work("late");
  }

  /** The events' record times for the attribution ({@link RecordTimes}). */
  TableName recordTimes() {
    return work("arrivals");
  }

  TableName stats() {
    return work("stats");
  }

  TableName workSamples() {
    return work("samples");
  }

  List<OutColumn> logRowColumns() {
    return CheckedGroupBy.logRowColumns(groupBy, false);
  }

  /** What the partitions recompute: the job's version, and the older ones the prepare step resolved. */
  CheckedGroupBy checked(LoggedVersions versions, Long minT, Long maxT) {
    return new CheckedGroupBy(groupBy, version(), versions.compiled(), logRows(), lateEvents(), minT, maxT, null);
  }

  static List<OutColumn> statsColumns() {
    List<OutColumn> out = new ArrayList<>(List.of(new OutColumn("partition_id", ColumnKind.INTEGER), new OutColumn("chunk", ColumnKind.BIGINT),
        new OutColumn("feature", ColumnKind.TEXT), new OutColumn("ds", ColumnKind.DATE),
        new OutColumn("rows_compared", ColumnKind.BIGINT), new OutColumn("mismatches", ColumnKind.BIGINT),
        new OutColumn("late_event", ColumnKind.BIGINT), new OutColumn("stale_batch", ColumnKind.BIGINT),
        new OutColumn("version_mismatch", ColumnKind.BIGINT), new OutColumn("unexplained", ColumnKind.BIGINT),
        new OutColumn("smape_sum", ColumnKind.DOUBLE), new OutColumn("smape_rows", ColumnKind.BIGINT),
        new OutColumn("max_abs_diff", ColumnKind.DOUBLE)));
    out.addAll(Counts.outColumns(Counts.addedColumns())); // the counters added for a live system
    return out;
  }

  /** A mismatching row: where it is, what was served, what the warehouse says, and why. */
  static List<OutColumn> sampleColumns() {
    return List.of(new OutColumn("feature", ColumnKind.TEXT), new OutColumn("ds", ColumnKind.DATE),
        new OutColumn("keys", ColumnKind.JSON), new OutColumn("as_of", ColumnKind.BIGINT),
        new OutColumn("logged_version", ColumnKind.INTEGER), new OutColumn("online_value", ColumnKind.JSON),
        new OutColumn("offline_value", ColumnKind.JSON), new OutColumn("abs_diff", ColumnKind.DOUBLE),
        new OutColumn("cause", ColumnKind.TEXT));
  }

  static List<OutColumn> workSampleColumns() {
    List<OutColumn> out = new ArrayList<>(List.of(new OutColumn("partition_id", ColumnKind.INTEGER), new OutColumn("chunk", ColumnKind.BIGINT)));
    out.addAll(sampleColumns());
    return out;
  }

  /** The report: per feature and day. */
  static List<OutColumn> reportColumns() {
    List<OutColumn> out = new ArrayList<>(List.of(new OutColumn("ds", ColumnKind.DATE), new OutColumn("feature", ColumnKind.TEXT),
        new OutColumn("version", ColumnKind.INTEGER), new OutColumn("job_id", ColumnKind.BIGINT),
        new OutColumn("rows_compared", ColumnKind.BIGINT), new OutColumn("mismatches", ColumnKind.BIGINT),
        new OutColumn("mismatch_rate", ColumnKind.DOUBLE), new OutColumn("smape", ColumnKind.DOUBLE),
        new OutColumn("max_abs_diff", ColumnKind.DOUBLE), new OutColumn("late_event", ColumnKind.BIGINT),
        new OutColumn("stale_batch", ColumnKind.BIGINT), new OutColumn("version_mismatch", ColumnKind.BIGINT),
        new OutColumn("unexplained", ColumnKind.BIGINT)));
    out.addAll(Counts.outColumns(Counts.addedColumns())); // added later: older report tables get them at the end
    return out;
  }

  static List<OutColumn> reportSampleColumns() {
    List<OutColumn> out = new ArrayList<>(List.of(new OutColumn("job_id", ColumnKind.BIGINT)));
    out.addAll(sampleColumns());
    return out;
  }
}
