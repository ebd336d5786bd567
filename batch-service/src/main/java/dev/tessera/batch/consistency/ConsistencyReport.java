package dev.tessera.batch.consistency;

import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableWriter;
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
    final long[] causes = new long[Cause.values().length];
    double smapeSum;
    long smapeRows;
    Double maxAbsDiff;

    void add(ResultSet rs) throws SQLException {
      compared += rs.getLong(3);
      mismatches += rs.getLong(4);
      for (int i = 0; i < causes.length; i++) causes[i] += rs.getLong(5 + i);
      smapeSum += rs.getDouble(9);
      smapeRows += rs.getLong(10);
      Object max = rs.getObject(11);
      if (max != null) maxAbsDiff = maxAbsDiff == null ? ((Number) max).doubleValue() : Math.max(maxAbsDiff, ((Number) max).doubleValue());
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
      Map<String, Long> c = new LinkedHashMap<>();
      for (Cause cause : Cause.values()) c.put(cause.name(), causes[cause.ordinal()]);
      m.put("causes", c);
      return m;
    }
  }

  /** @param olderVersions the resolved older versions: features only they have are reported too */
  static ConsistencyReport write(Warehouse warehouse, ConsistencyPlan plan, java.util.Collection<dev.tessera.agg.compile.CompiledGroupBy> olderVersions) {
    SqlDialect d = warehouse.dialect();
    List<ComparisonRule> rules = ComparisonRule.of(plan.groupBy(), plan.tolerances());
    Map<String, Boolean> numeric = new LinkedHashMap<>();
    rules.forEach(r -> numeric.put(r.feature(), r.numeric()));
    olderVersions.forEach(g -> ComparisonRule.of(g, plan.tolerances()).forEach(r -> numeric.putIfAbsent(r.feature(), r.numeric())));
    Map<String, Sums> totals = new LinkedHashMap<>();
    rules.forEach(r -> totals.put(r.feature(), new Sums()));
    Map<String, Sums> daily = new LinkedHashMap<>();
    String sql = "SELECT feature, ds, sum(rows_compared), sum(mismatches), sum(late_event), sum(stale_batch), sum(version_mismatch),"
        + " sum(unexplained), sum(smape_sum), sum(smape_rows), max(max_abs_diff) FROM " + d.table(plan.stats())
        + " GROUP BY feature, ds ORDER BY ds, feature";
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

    OutputTables.createOrVerify(warehouse, plan.reportTable(), ConsistencyPlan.reportColumns());
    OutputTables.createOrVerify(warehouse, plan.samplesTable(), ConsistencyPlan.reportSampleColumns());
    String range = " WHERE ds >= CAST(? AS DATE) AND ds <= CAST(? AS DATE)";
    Connection c = warehouse.begin();
    try {
      for (var t : List.of(plan.reportTable(), plan.samplesTable())) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + d.table(t) + range)) {
          ps.setString(1, plan.startDate().toString());
          ps.setString(2, plan.endDate().toString());
          ps.executeUpdate();
        }
      }
      try (TableWriter w = d.writer(c, plan.reportTable(), ConsistencyPlan.reportColumns())) {
        for (var e : daily.entrySet()) {
          String[] parts = e.getKey().split("\\|", 2);
          Sums s = e.getValue();
          boolean num = numeric.getOrDefault(parts[1], false);
          w.append(new Object[] {LocalDate.parse(parts[0]), parts[1], plan.version(), plan.jobId(), s.compared, s.mismatches, s.rate(),
              s.smape(num), num ? s.maxAbsDiff : null, s.causes[Cause.LATE_EVENT.ordinal()], s.causes[Cause.STALE_BATCH.ordinal()],
              s.causes[Cause.VERSION_MISMATCH.ordinal()], s.causes[Cause.UNEXPLAINED.ordinal()]});
        }
      }
      // The samples to keep: per feature, unexplained ones first, then by time.
      String columns = ConsistencyPlan.sampleColumns().stream().map(OutColumn::name).map(d::quote).collect(Collectors.joining(", "));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + d.table(plan.samplesTable()) + " (job_id, " + columns + ") SELECT "
          + plan.jobId() + ", " + columns + " FROM (SELECT *, row_number() OVER (PARTITION BY feature ORDER BY CASE WHEN cause = 'UNEXPLAINED'"
          + " THEN 0 ELSE 1 END, as_of, partition_id, chunk) AS rn FROM " + d.table(plan.workSamples()) + ") s WHERE rn <= " + plan.samples())) {
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(c);
      throw new WarehouseException("writing the consistency report " + plan.reportTable() + " failed", e);
    } finally {
      Warehouse.closeQuietly(c);
    }
    OutputTables.comment(warehouse, plan.reportTable(), "tessera consistency: GroupBy " + plan.groupBy().name()
        + ", logged fetches vs point-in-time values, per feature and day (last job " + plan.jobId() + ")");

    List<Map<String, Object>> features = new ArrayList<>();
    long unexplained = 0;
    for (var e : totals.entrySet()) {
      features.add(e.getValue().summary(e.getKey(), numeric.getOrDefault(e.getKey(), false)));
      unexplained += e.getValue().causes[Cause.UNEXPLAINED.ordinal()];
    }
    return new ConsistencyReport(features, unexplained);
  }
}
