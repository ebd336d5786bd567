package dev.tessera.batch.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.agg.row.RowSchema;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.definitions.ResolvedJoin;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A Join training set job's fixed inputs: the Join and its parts' GroupBys as recorded when the job
 * was requested, the left table or Parquet dataset, the output, and (once the prepare step ran) the
 * left rows' facts.
 *
 * <p>How the job reads each input once (DESIGN-joins.md "Offline"): the prepare step copies the left
 * rows (in the date range, if any) into {@link #spill()} with a row id and their time in epoch millis:
 * the only read of the left table (of a dataset: of the files of the range's days). Each part then
 * computes its features per row id, partitioned by the hash of its own key, from its own sorted read
 * of its GroupBy's source(s) (one read per part over all partitions) and of the spill's key columns,
 * into {@link #part(int)}; the derive step evaluates the derivations per row id into
 * {@link #derived()}; the finish step joins the spill, the parts and the derived values by row id
 * into the output, one row per left row.
 */
record JoinPlan(ResolvedJoin resolved, CompiledJoin join, Relation left, String timeColumn, boolean timestamp, TableName output,
    String parquetPath, String parquetDataset, Long startMillis, Long endMillis, int partitions, long jobId, LeftStats stats) {
  static final String JOIN = "join";
  static final String JOIN_VERSION = "joinVersion";
  /** The GroupBy version of each part, comma-separated, in part order. */
  static final String PART_VERSIONS = "partVersions";
  /** "true" when the Join has derivations (the derive step has partitions). */
  static final String DERIVES = "derives";
  /** The left table's name, or {@code parquet:<path>} for a Parquet dataset ({@link Relation#recorded()}). */
  static final String LEFT = "leftTable";
  static final String TIME = "timeColumn";
  static final String TIME_IS_TIMESTAMP = "timeIsTimestamp";
  static final String OUTPUT = "outputTable";
  static final String PARQUET = "parquetPath";
  static final String PARQUET_DATASET = "parquetDataset";
  /** The left rows' time range, [start, end) in epoch millis, when the request gave dates. */
  static final String START = "startMillis";
  static final String END = "endMillis";
  /** Job context: the recorded Join and GroupBys (ResolvedJoin JSON), then the left rows' facts (LeftStats JSON). */
  static final String DEFINITION = "tessera.join";
  static final String LEFT_STATS = "tessera.join.left";
  /**
   * Job context: the job execution whose prepare step created the work tables. Partitions of that
   * execution find their slice empty; those of a restart clear what an earlier attempt left.
   */
  static final String PREPARED_BY = "tessera.join.preparedBy";
  /** The spill's row id and epoch-millis time columns (names no user table uses). */
  static final String RID = "__tessera_rid";
  static final String TS = "__tessera_ts";

  static JoinPlan of(JobExecution execution) {
    ResolvedJoin resolved = JobJoin.recorded(execution);
    JobParameters p = execution.getJobParameters();
    String stats = execution.getExecutionContext().getString(LEFT_STATS, null);
    return new JoinPlan(resolved, resolved.compile(), Relation.parse(p.getString(LEFT)), p.getString(TIME),
        Boolean.parseBoolean(p.getString(TIME_IS_TIMESTAMP)), TableName.parse(p.getString(OUTPUT)), p.getString(PARQUET), p.getString(PARQUET_DATASET),
        p.getLong(START), p.getLong(END), Math.toIntExact(p.getLong(dev.tessera.batch.jobs.JobParameterNames.PARTITIONS)),
        execution.getJobInstanceId(), stats == null ? null : LeftStats.fromJson(stats));
  }

  JoinPlan withStats(LeftStats s) {
    return new JoinPlan(resolved, join, left, timeColumn, timestamp, output, parquetPath, parquetDataset, startMillis, endMillis, partitions, jobId,
        s);
  }

  private TableName work(String suffix) {
    return new TableName(output.schema(), "tessera_tmp_" + jobId + "_" + suffix);
  }

  /** The left rows: row id, epoch-millis time, then every left column. */
  TableName spill() {
    return work("left");
  }

  /** Part {@code i}'s features per row id (named as the GroupBy names them). */
  TableName part(int i) {
    return work("part" + i);
  }

  /** The derived values per row id. */
  TableName derived() {
    return work("derived");
  }

  /** The output as it is built, renamed to the output table when complete. */
  TableName staging() {
    return work("out");
  }

  List<TableName> workTables() {
    List<TableName> out = new ArrayList<>(List.of(spill(), derived(), staging()));
    for (int i = 0; i < join.parts().size(); i++) out.add(part(i));
    return out;
  }

  boolean hasDerivations() {
    return !join.derivedColumns().isEmpty();
  }

  /**
   * What to select the left rows from: the table, or the {@code read_parquet} of the dataset's files
   * whose days overlap the date range (all of them without one).
   */
  String leftRelation(Warehouse warehouse) {
    return warehouse.from(left, new RowSchema(resolved.join().definition().left().schema()), startMillis, endMillis);
  }

  /** The left time in epoch millis. */
  String timeExpression(SqlDialect d) {
    return timestamp ? d.epochMillis(d.quote(timeColumn)) : "CAST(" + d.quote(timeColumn) + " AS BIGINT)";
  }

  /** A left column of the Join as the spill spells it (the warehouse may differ in case). */
  String leftColumn(String name) {
    for (String c : stats.columns()) if (c.equalsIgnoreCase(name)) return c;
    throw new IllegalStateException("the left table has no column " + name + " (any more); run the job again");
  }

  /** Part {@code p}'s key columns in the spill, in the GroupBy's key order. */
  List<String> leftKeys(CompiledPart p) {
    return p.leftKeyColumns().stream().map(this::leftColumn).toList();
  }

  static List<Boolean> textKeys(CompiledPart p) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < p.groupBy().keyNames().size(); i++) out.add(ColumnKind.of(p.groupBy().keyType(i)) == ColumnKind.TEXT);
    return out;
  }

  /** Part {@code i}'s work table: row id, then its features under the GroupBy's own names. */
  static List<OutColumn> partColumns(CompiledPart p) {
    List<OutColumn> out = new ArrayList<>();
    out.add(new OutColumn(RID, ColumnKind.BIGINT));
    out.addAll(dev.tessera.batch.compute.FeatureValues.columns(p.groupBy()));
    return out;
  }

  List<OutColumn> derivedColumns() {
    List<OutColumn> out = new ArrayList<>();
    out.add(new OutColumn(RID, ColumnKind.BIGINT));
    for (OutputColumn c : join.derivedColumns()) out.add(new OutColumn(c.name(), ColumnKind.of(c.type())));
    return out;
  }

  /** The events part {@code i} needs for the left rows that have its key: its windows before the earliest, up to the latest. */
  ReadWindow readWindow(int i) {
    LeftStats.PartStats s = stats.parts().get(i);
    return s.maxT() == null ? null : ReadWindow.forQueries(join.parts().get(i).groupBy(), s.minT(), s.maxT());
  }

  List<SourcePlan> sources(int i) {
    return SourcePlan.of(join.parts().get(i).groupBy());
  }

  /** The row ids of derive partition {@code slice}: {@code [from, to)}, contiguous ranges over [0, maxRid]. */
  long[] ridRange(int slice) {
    long n = stats.maxRid() == null ? 0 : stats.maxRid() + 1;
    return new long[] {n * slice / partitions, n * (slice + 1) / partitions};
  }

  /**
   * {@code LEFT JOIN <part> <alias> ON <alias>.rid = l.rid AND <alias>.rid >= <from> AND <alias>.rid < <to>}: a
   * part's rows of a row id range, so that the hash table the warehouse builds of them holds that
   * range only (the part tables are in key order: no zone map narrows their scan).
   */
  static String partJoin(SqlDialect d, TableName part, String alias, String from, String to) {
    String rid = d.quote(RID);
    return " LEFT JOIN " + d.table(part) + " " + alias + " ON " + alias + "." + rid + " = l." + rid + " AND " + alias + "." + rid + " >= "
        + from + " AND " + alias + "." + rid + " < " + to;
  }

  /** What the output table's comment says: the Join and GroupBy versions it was computed with. */
  String comment() {
    StringBuilder sb = new StringBuilder("tessera training set: Join ").append(join.name()).append(" version ")
        .append(resolved.join().version()).append(" (parts: ");
    for (CompiledPart p : join.parts()) {
      if (p.index() > 0) sb.append(", ");
      sb.append(p.name()).append(" = GroupBy ").append(p.groupBy().name()).append(" version ").append(p.groupByVersion());
    }
    return sb.append(") as of ").append(left).append('.').append(timeColumn).append(" (job ").append(jobId).append(')').toString();
  }

  /** True in the job execution whose prepare step created the work tables: nothing of an earlier attempt to clear. */
  static boolean firstAttempt(org.springframework.batch.core.step.StepExecution step) {
    JobExecution job = step.getJobExecution();
    return job.getExecutionContext().getLong(PREPARED_BY, -1L) == job.getId();
  }

  static boolean reserved(String column) {
    String c = column.toLowerCase(Locale.ROOT);
    return c.equals(RID) || c.equals(TS);
  }
}
