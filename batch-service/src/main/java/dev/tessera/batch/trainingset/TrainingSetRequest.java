package dev.tessera.batch.trainingset;

import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.RequestSupport;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/jobs/training-set}, in one of two forms.
 *
 * <p>GroupBy form: every row of {@code leftTable} (key columns named as the GroupBy's keys, a time
 * column, any label columns) with the GroupBy's features as of that row's time, events strictly
 * before it, written to {@code outputTable} (replaced if it exists).
 *
 * <p>Join form ({@code join}, DESIGN-joins.md "Offline"): every row of the Join's left table (only
 * those whose time is in {@code [startDate, endDate]} when a date is given) with the features of every
 * part as of that row's time, then the derivations, written to {@code outputTable}.
 *
 * @param timeColumn the left table's time (GroupBy form): BIGINT epoch milliseconds or a TIMESTAMP (UTC)
 * @param join the Join's name (Join form; exactly one of {@code groupBy} and {@code join})
 * @param startDate first day (UTC) of the left rows' times, inclusive (Join form, optional)
 * @param endDate last day (UTC) of the left rows' times, inclusive (Join form, optional)
 * @param leftParquet the left rows as a Parquet dataset (GroupBy form, instead of {@code leftTable}): a folder, file or glob
 *     in the lake directory, as a definition's {@code parquet} names one
 * @param parquetDataset also write the output as a Parquet dataset in this folder (inside the export directory): one file
 *     per UTC day of the left rows' times, {@code ds=YYYY-MM-DD/<outputTable>_0.parquet}, replacing this output's files only
 * @param lakeShuffle GroupBy form: whether Parquet sources go through the lake shuffle (default: partitions &gt;=
 *     tessera.batch.lake-shuffle-min-partitions)
 */
public record TrainingSetRequest(String groupBy, String leftTable, String timeColumn, String outputTable, String parquetPath,
    Integer partitions, Long maxRejectedRows, Double maxRejectedFraction, String join, String startDate, String endDate,
    String parquetDataset, String leftParquet, Boolean lakeShuffle) {

  public TrainingSetRequest(String groupBy, String leftTable, String timeColumn, String outputTable, String parquetPath,
      Integer partitions, Long maxRejectedRows, Double maxRejectedFraction) {
    this(groupBy, leftTable, timeColumn, outputTable, parquetPath, partitions, maxRejectedRows, maxRejectedFraction, null, null, null, null, null, null);
  }

  /** True for the Join form. Either form's foreign fields, both names or neither, are a 400 naming the fields. */
  public boolean isJoin() {
    List<FieldProblem> problems = new ArrayList<>();
    boolean hasGroupBy = groupBy != null && !groupBy.isBlank();
    boolean hasJoin = join != null && !join.isBlank();
    if (hasGroupBy && hasJoin) {
      problems.add(new FieldProblem("join", "give either groupBy (a GroupBy's features for leftTable) or join (a Join's training set), not both"));
    } else if (!hasGroupBy && !hasJoin) {
      problems.add(new FieldProblem("groupBy", "is required, or join: the GroupBy or the Join whose training set to compute"));
    } else if (hasJoin) {
      if (leftTable != null) problems.add(new FieldProblem("leftTable", "is not used with join: the Join names its left table (left.table)"));
      if (leftParquet != null) problems.add(new FieldProblem("leftParquet", "is not used with join: the Join names its left rows (left.parquet)"));
      if (timeColumn != null) problems.add(new FieldProblem("timeColumn", "is not used with join: the Join names its time column (left.timeColumn)"));
    } else {
      if (startDate != null) problems.add(new FieldProblem("startDate", "is only used with join"));
      if (endDate != null) problems.add(new FieldProblem("endDate", "is only used with join"));
    }
    RequestSupport.throwIfAny(problems);
    return hasJoin;
  }
}
