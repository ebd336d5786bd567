package dev.tessera.batch.consistency;

import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableWriter;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report of one run: per feature over the range (the job result) and per feature and day (the
 * report table {@code <groupBy>_consistency_daily}), plus the kept mismatch samples
 * ({@code <groupBy>_consistency_samples}). Writing replaces the range's days in both tables in one
 * transaction, so a re-run never duplicates and readers see the old days or the new ones.
 */
record ConsistencyReport(List<Map<String, Object>> features, long unexplained) {

  /** Sums of one feature (over a day, or over the range). */
  static final class Sums {
    long compared;
    long mismatches;
    /** By {@link Counts}: mismatches per cause and freshness delays. */
    final long[] counts = new long[Counts.size()];
    double smapeSum;
    long smapeRows;
    Double maxAbsDiff;

    /** Adds a row of {@link #SUMS}: feature, ds, compared, mismatches, smape sum and rows, max difference, the counts. */
    void add(ResultSet rs) throws SQLException {
      compared += rs.getLong(3);
      mismatches += rs.getLong(4);
      smapeSum += rs.getDouble(5);
      smapeRows += rs.getLong(6);
      Object max = rs.getObject(7);
      if (max != null) maxAbsDiff = maxAbsDiff == null ? ((Number) max).doubleValue() : Math.max(maxAbsDiff, ((Number) max).doubleValue());
      for (int i = 0; i < counts.length; i++) counts[i] += rs.getLong(8 + i);
    }

    long cause(Cause c) {
      return counts[Counts.of(c)];
    }

    double rate() {
      return compared == 0 ? 0.0 : (double) mismatches / compared;
    }

    Double smape(boolean numeric) {
      return numeric && smapeRows > 0 ? smapeSum / smapeRows : null;
    }

    Map<String, Object> summary(String feature, boolean numeric) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feature", feature);
      m.put("rowsCompared", compared);
      m.put("mismatches", mismatches);
      m.put("mismatchRate", rate());
      m.put("smape", smape(numeric));
      m.put("maxAbsDiff", numeric ? maxAbsDiff : null);
      m.put("causes", Counts.causes(counts));
      m.put("freshnessDelays", Counts.delays(counts));
      return m;
    }
  }

  /** Every cause at 0: the start of a sum of several columns' causes. */
  static Map<String, Long> noCauses() {
    return Counts.causes(new long[Counts.size()]);
  }

  /**
   * Adds one column's counts, as results and reports give them ({@code rowsCompared}, {@code mismatches},
   * {@code causes}), to a sum of several that holds them under {@code compared}, {@code mismatches} and
   * {@code causes} (started with {@link #noCauses()}).
   */
  @SuppressWarnings("unchecked")
  static void addCounts(Map<String, Object> sum, String compared, Map<String, Object> column) {
    sum.merge(compared, column.get("rowsCompared"), (a, b) -> (Long) a + ((Number) b).longValue());
    sum.merge("mismatches", column.get("mismatches"), (a, b) -> (Long) a + ((Number) b).longValue());
    Map<String, Long> causes = (Map<String, Long>) sum.get("causes");
    ((Map<String, ? extends Number>) column.get("causes")).forEach((c, n) -> causes.merge(c, n.longValue(), Long::sum));
  }

  /** Puts {@code mismatchRate}: the sum's mismatches over its {@code compared} (0 when nothing was compared). */
  static void putRate(Map<String, Object> sum, String compared) {
    long n = (Long) sum.get(compared);
    sum.put("mismatchRate", n == 0 ? 0.0 : (double) (Long) sum.get("mismatches") / n);
  }

  /** @param olderVersions the resolved older versions: features only they have are reported too */
  static ConsistencyReport write(Warehouse warehouse, ConsistencyPlan plan, java.util.Collection<dev.tessera.agg.compile.CompiledGroupBy> olderVersions) {
    List<ComparisonRule> rules = ComparisonRule.of(plan.groupBy(), plan.tolerances());
    Map<String, Boolean> numeric = new LinkedHashMap<>();
    rules.forEach(r -> numeric.put(r.feature(), r.numeric()));
    olderVersions.forEach(g -> ComparisonRule.of(g, plan.tolerances()).forEach(r -> numeric.putIfAbsent(r.feature(), r.numeric())));
    return write(warehouse, new Target(plan.stats(), plan.workSamples(), plan.reportTable(), plan.samplesTable(), plan.startDate(),
        plan.endDate(), plan.version(), plan.jobId(), plan.samples(), rules.stream().map(ComparisonRule::feature).toList(), numeric, null,
        "tessera consistency: GroupBy " + plan.groupBy().name() + ", logged fetches vs point-in-time values, per feature and day (last job "
            + plan.jobId() + ")"));
  }

  /**
   * Where a run's counts go and how they are reported.
   *
   * @param columns the columns reported even when no row compared them, in order (the others follow)
   * @param numeric per column, whether SMAPE and the largest difference mean something
   * @param partOf a Join's: the part of each column (null for a derived column), written with each row; null for a GroupBy
   */
  record Target(TableName stats, TableName workSamples, TableName reportTable, TableName samplesTable, LocalDate startDate,
      LocalDate endDate, int version, long jobId, int samples, List<String> columns, Map<String, Boolean> numeric,
      Map<String, String> partOf, String comment) {

    List<OutColumn> reportColumns() {
      return partOf == null ? ConsistencyPlan.reportColumns() : JoinConsistencyPlan.reportColumns();
    }

    List<OutColumn> sampleColumns() {
      return partOf == null ? ConsistencyPlan.reportSampleColumns() : JoinConsistencyPlan.reportSampleColumns();
    }
  }

  /** Sums the partitions' counts into the report and samples tables (replacing the range's days) and the run's per-column totals. */
  static ConsistencyReport write(Warehouse warehouse, Target target) {
    SqlDialect d = warehouse.dialect();
    Map<String, Sums> totals = new LinkedHashMap<>();
    target.columns().forEach(c -> totals.put(c, new Sums()));
    Map<String, Sums> daily = new LinkedHashMap<>();
    String sql = "SELECT feature, ds, sum(rows_compared), sum(mismatches), sum(smape_sum), sum(smape_rows), max(max_abs_diff), "
        + Counts.sums() + " FROM " + d.table(target.stats()) + " GROUP BY feature, ds ORDER BY ds, feature";
    try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        String feature = rs.getString(1);
        LocalDate ds = rs.getObject(2, LocalDate.class);
        totals.computeIfAbsent(feature, f -> new Sums()).add(rs);
        daily.computeIfAbsent(ds + "|" + feature, k -> new Sums()).add(rs);
      }
    } catch (SQLException e) {
      throw new WarehouseException("summing the consistency counts failed", e);
    }

    boolean join = target.partOf() != null;
    for (OutColumn added : Counts.outColumns(Counts.addedColumns())) OutputTables.addIfMissing(warehouse, target.reportTable(), added);
    OutputTables.createOrVerify(warehouse, target.reportTable(), target.reportColumns());
    OutputTables.createOrVerify(warehouse, target.samplesTable(), target.sampleColumns());
    String range = " WHERE ds >= CAST(? AS DATE) AND ds <= CAST(? AS DATE)";
    Connection c = warehouse.begin();
    try {
      for (var t : List.of(target.reportTable(), target.samplesTable())) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + d.table(t) + range)) {
          ps.setString(1, target.startDate().toString());
          ps.setString(2, target.endDate().toString());
          ps.executeUpdate();
        }
      }
      try (TableWriter w = d.writer(c, target.reportTable(), target.reportColumns())) {
        for (var e : daily.entrySet()) {
          String[] parts = e.getKey().split("\\|", 2);
          Sums s = e.getValue();
          boolean num = target.numeric().getOrDefault(parts[1], false);
          List<Object> row = new ArrayList<>(List.of(LocalDate.parse(parts[0]), parts[1]));
          if (join) row.add(target.partOf().get(parts[1]));
          row.addAll(java.util.Arrays.asList(target.version(), target.jobId(), s.compared, s.mismatches, s.rate(), s.smape(num),
              num ? s.maxAbsDiff : null));
          for (long n : s.counts) row.add(n); // the first causes, then the added counters: the table's order

          w.append(row.toArray());
        }
      }
      // The samples to keep: per feature, unexplained ones first, then by time.
      String columns = ConsistencyPlan.sampleColumns().stream().map(OutColumn::name).map(d::quote).collect(Collectors.joining(", "));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + d.table(target.samplesTable()) + " (job_id, "
          + (join ? "part, " : "") + columns + ") SELECT " + target.jobId() + ", " + (join ? partExpression(target.partOf()) + ", " : "")
          + columns + " FROM (SELECT *, row_number() OVER (PARTITION BY feature ORDER BY CASE WHEN cause = 'UNEXPLAINED'"
          + " THEN 0 ELSE 1 END, as_of, partition_id, chunk) AS rn FROM " + d.table(target.workSamples()) + ") s WHERE rn <= "
          + target.samples())) {
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(c);
      throw new WarehouseException("writing the consistency report " + target.reportTable() + " failed", e);
    } finally {
      Warehouse.closeQuietly(c);
    }
    OutputTables.comment(warehouse, target.reportTable(), target.comment());

    List<Map<String, Object>> features = new ArrayList<>();
    long unexplained = 0;
    for (var e : totals.entrySet()) {
      Map<String, Object> f = e.getValue().summary(e.getKey(), target.numeric().getOrDefault(e.getKey(), false));
      if (join) f.put("part", target.partOf().get(e.getKey()));
      features.add(f);
      unexplained += e.getValue().cause(Cause.UNEXPLAINED);
    }
    return new ConsistencyReport(features, unexplained);
  }

  /** The part of a sample's column, in SQL: a CASE over the Join's columns (null for a derived one). */
  private static String partExpression(Map<String, String> partOf) {
    if (partOf.isEmpty()) return "CAST(NULL AS VARCHAR)";
    StringBuilder sb = new StringBuilder("CASE feature");
    partOf.forEach((column, part) -> sb.append(" WHEN '").append(column.replace("'", "''")).append("' THEN '")
        .append(part.replace("'", "''")).append('\''));
    return sb.append(" END").toString();
  }
}
