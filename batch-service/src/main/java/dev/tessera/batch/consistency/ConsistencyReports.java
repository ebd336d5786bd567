package dev.tessera.batch.consistency;

import dev.tessera.support.Definitions;
import dev.tessera.batch.api.JobSummary;
import dev.tessera.batch.api.JobView;
import dev.tessera.batch.api.JobViews;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.jobs.UnknownJoinException;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.join.JobJoin;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/consistency/{groupBy}}: the latest completed run's result, the mismatch rate
 * per day (and per feature) from the report table, and the latest mismatch samples: what the admin
 * UI's consistency page shows. {@code GET /api/v1/consistency/join/{join}}: the same of a Join, each
 * column with its part, plus the columns and the parts summed over the days shown.
 */
public final class ConsistencyReports {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Warehouse warehouse;
  private final RequestSupport support;
  private final Definitions definitions;

  ConsistencyReports(Warehouse warehouse, RequestSupport support, Definitions definitions) {
    this.warehouse = warehouse;
    this.support = support;
    this.definitions = definitions;
  }

  public Map<String, Object> report(String groupBy, int days, int samples, JobViews views) {
    String name = support.groupBy(groupBy).name();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("groupBy", name);
    out.put("reportTable", ConsistencyPlan.reportTable(name).toString());
    out.put("samplesTable", ConsistencyPlan.samplesTable(name).toString());
    out.put("latest", latest(s -> name.equals(s.groupBy()), null, views));
    out.put("days", days(ConsistencyPlan.reportTable(name), days, false));
    out.put("samples", samples(ConsistencyPlan.samplesTable(name), samples, false));
    return out;
  }

  /**
   * A Join's report: as a GroupBy's (each column of a day and each sample with its part, null for a
   * derived column), with {@code columns} and {@code parts}: the days' counts summed per column and per part.
   */
  public Map<String, Object> joinReport(String join, int days, int samples, JobViews views) {
    if (join == null || join.isBlank()) throw new InvalidRequestException("join", "is required");
    String name = join.trim();
    TableName report = JoinConsistencyPlan.reportTable(name);
    if (definitions.liveJoin(name).isEmpty() && !warehouse.exists(report)) throw new UnknownJoinException(name, definitions.description());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("join", name);
    out.put("reportTable", report.toString());
    out.put("samplesTable", JoinConsistencyPlan.samplesTable(name).toString());
    out.put("latest", latest(s -> s.groupBy() == null, v -> name.equals(v.parameters().get(JobJoin.JOIN)), views));
    List<Map<String, Object>> byDay = days(report, days, true);
    out.put("days", byDay);
    out.put("columns", totals(byDay, "feature"));
    out.put("parts", totals(byDay, "part"));
    out.put("samples", samples(JoinConsistencyPlan.samplesTable(name), samples, true));
    return out;
  }

  /** The days' per-column counts summed by column ({@code feature}) or by part (derived columns together, part null). */
  private static List<Map<String, Object>> totals(List<Map<String, Object>> days, String by) {
    Map<Object, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> day : days) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> columns = (List<Map<String, Object>>) day.get("features");
      for (Map<String, Object> c : columns) {
        Map<String, Object> t = out.computeIfAbsent(java.util.Objects.requireNonNullElse(c.get(by), DERIVED), k -> {
          Map<String, Object> m = new LinkedHashMap<>();
          if (by.equals("feature")) m.put("feature", c.get("feature"));
          m.put("part", c.get("part"));
          m.put("rowsCompared", 0L);
          m.put("mismatches", 0L);
          m.put("causes", ConsistencyReport.noCauses());
          return m;
        });
        ConsistencyReport.addCounts(t, "rowsCompared", c);
      }
    }
    out.values().forEach(t -> ConsistencyReport.putRate(t, "rowsCompared"));
    return new ArrayList<>(out.values());
  }

  private static final Object DERIVED = new Object();

  /** The latest completed run whose summary and (when given) view match. */
  private static Map<String, Object> latest(java.util.function.Predicate<JobSummary> summary, java.util.function.Predicate<JobView> view,
      JobViews views) {
    for (JobSummary s : views.recent(ConsistencyJobConfiguration.JOB, 1000)) {
      if (!summary.test(s) || !"COMPLETED".equals(s.status())) continue;
      JobView v = views.view(s.id());
      if (view != null && !view.test(v)) continue;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("jobId", v.id());
      m.put("version", view == null ? v.version() : v.parameters().get(JobJoin.JOIN_VERSION));
      m.put("startDate", v.parameters().get(ConsistencyPlan.START));
      m.put("endDate", v.parameters().get(ConsistencyPlan.END));
      m.put("endedAt", v.endedAt());
      m.put("result", v.result());
      return m;
    }
    return null;
  }

  /** The last {@code limit} days of the report table: overall and per feature (with its part, for a Join's). */
  private List<Map<String, Object>> days(TableName table, int limit, boolean join) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!warehouse.exists(table)) return out;
    SqlDialect d = warehouse.dialect();
    boolean added = warehouse.column(warehouse.columns(table), Counts.addedColumns().getFirst()).isPresent();
    List<String> counts = added ? Counts.COLUMNS : Counts.COLUMNS.subList(0, Cause.FIRST_COLUMNS.size());
    String sql = "SELECT ds, feature, rows_compared, mismatches, mismatch_rate, smape, max_abs_diff, " + String.join(", ", counts)
        + ", version, job_id" + (join ? ", part" : "") + " FROM " + d.table(table)
        + " WHERE ds >= (SELECT max(ds) FROM " + d.table(table) + ") - " + (limit - 1) + " ORDER BY ds, feature";
    Map<LocalDate, Map<String, Object>> byDay = new LinkedHashMap<>();
    Queries.each(warehouse, sql, rs -> {
      LocalDate ds = rs.getObject(1, LocalDate.class);
      Map<String, Object> day = byDay.computeIfAbsent(ds, k -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ds", k.toString());
        m.put("rowsCompared", 0L);
        m.put("mismatches", 0L);
        m.put("unexplained", 0L);
        m.put("features", new ArrayList<Map<String, Object>>());
        return m;
      });
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("feature", rs.getString(2));
      int n = counts.size();
      if (join) f.put("part", rs.getString(10 + n));
      f.put("rowsCompared", rs.getLong(3));
      f.put("mismatches", rs.getLong(4));
      f.put("mismatchRate", rs.getDouble(5));
      f.put("smape", nullable(rs.getObject(6)));
      f.put("maxAbsDiff", nullable(rs.getObject(7)));
      long[] values = new long[Counts.size()];
      for (int i = 0; i < n; i++) values[i] = rs.getLong(8 + i);
      f.put("causes", Counts.causes(values));
      f.put("freshnessDelays", Counts.delays(values));
      f.put("version", rs.getInt(8 + n));
      f.put("jobId", rs.getLong(9 + n));
      day.merge("rowsCompared", rs.getLong(3), (a, b) -> (Long) a + (Long) b);
      day.merge("mismatches", rs.getLong(4), (a, b) -> (Long) a + (Long) b);
      day.merge("unexplained", values[Counts.of(Cause.UNEXPLAINED)], (a, b) -> (Long) a + (Long) b);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> features = (List<Map<String, Object>>) day.get("features");
      features.add(f);
    });
    for (Map<String, Object> day : byDay.values()) {
      long compared = (Long) day.get("rowsCompared");
      day.put("mismatchRate", compared == 0 ? 0.0 : (double) (Long) day.get("mismatches") / compared);
      out.add(day);
    }
    return out;
  }

  private List<Map<String, Object>> samples(TableName table, int limit, boolean join) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!warehouse.exists(table)) return out;
    SqlDialect d = warehouse.dialect();
    Queries.each(warehouse, "SELECT feature, ds, " + d.quote("keys") + ", as_of, logged_version, online_value, offline_value, abs_diff, cause, job_id"
        + (join ? ", part" : "") + " FROM " + d.table(table) + " ORDER BY ds DESC, CASE WHEN cause = 'UNEXPLAINED' THEN 0 ELSE 1 END, feature, as_of"
        + " LIMIT " + limit, rs -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feature", rs.getString(1));
      if (join) m.put("part", rs.getString(11));
      m.put("ds", rs.getObject(2, LocalDate.class).toString());
      m.put("keys", json(rs.getString(3)));
      m.put("asOf", rs.getLong(4));
      m.put("loggedVersion", rs.getInt(5));
      m.put("onlineValue", json(rs.getString(6)));
      m.put("offlineValue", json(rs.getString(7)));
      m.put("absDiff", nullable(rs.getObject(8)));
      m.put("cause", rs.getString(9));
      m.put("jobId", rs.getLong(10));
      out.add(m);
    });
    return out;
  }

  private static Object json(String text) {
    return text == null ? null : JSON.readTree(text);
  }

  private static Double nullable(Object v) {
    return v == null ? null : ((Number) v).doubleValue();
  }

}
