package dev.tessera.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The result of a consistency job (online values served vs. the batch values recomputed for the
 * same entity and time): one row per feature with its mismatches and their causes. Unexplained
 * mismatches are skew the platform cannot account for: the command fails on them.
 */
final class ConsistencyReport {
  /** The causes shown when a result does not list its own (a service from before the live-system causes). */
  static final String[] CAUSES = {"LATE_EVENT", "STALE_BATCH", "VERSION_MISMATCH", "UNEXPLAINED"};

  private ConsistencyReport() {}

  static boolean isConsistency(JsonNode job) {
    return "consistency".equals(job.path("job").asString(""));
  }

  /** Prints the job line and the per-feature table; exit code 1 when a mismatch is unexplained. */
  static int finish(JsonNode job, PrintWriter out, PrintWriter err) {
    out.println(JobReport.summary(job));
    table(job.path("result")).print(out);
    String reportTable = job.path("result").path("reportTable").asString(null);
    if (reportTable != null) out.println("mismatching rows: table " + reportTable);
    out.flush();
    return exitCode(job, err);
  }

  /**
   * One row per feature: counts, then every cause the service reports (in its order), then the
   * freshness delays of the mismatches that arrived after their fetch ({@code <=1s:12 <=1m:3}).
   */
  static Table table(JsonNode result) {
    List<String> causes = causes(result);
    List<String> headers = new ArrayList<>(List.of("feature", "compared", "mismatches", "rate", "SMAPE", "max |diff|"));
    causes.forEach(c -> headers.add(c.toLowerCase(Locale.ROOT).replace('_', ' ')));
    headers.add("freshness delays");
    Table t = new Table(headers.toArray(String[]::new));
    for (JsonNode f : result.path("features")) {
      List<Object> row = new ArrayList<>(List.of(f.path("feature").asString("?"), Numbers.count(f.get("rowsCompared")),
          Numbers.count(f.get("mismatches")), rate(f.get("mismatchRate")), number(f.get("smape")), number(f.get("maxAbsDiff"))));
      causes.forEach(c -> row.add(Numbers.count(f.path("causes").get(c))));
      row.add(delays(f.path("freshnessDelays")));
      t.row(row.toArray());
    }
    return t;
  }

  /** The cause names of the result's first feature, UNEXPLAINED last; {@link #CAUSES} when it has none. */
  static List<String> causes(JsonNode result) {
    JsonNode first = result.path("features").path(0).path("causes");
    if (!first.isObject() || first.isEmpty()) return List.of(CAUSES);
    List<String> out = new ArrayList<>(first.propertyNames());
    if (out.remove("UNEXPLAINED")) out.add("UNEXPLAINED");
    return out;
  }

  private static String delays(JsonNode d) {
    StringBuilder sb = new StringBuilder();
    for (var e : d.properties()) {
      if (e.getValue().asLong(0) == 0) continue;
      sb.append(sb.isEmpty() ? "" : " ").append(e.getKey()).append(':').append(Numbers.count(e.getValue()));
    }
    return sb.isEmpty() ? "-" : sb.toString();
  }

  /** Unexplained mismatches: the result's total, else the sum over features. */
  static long unexplained(JsonNode result) {
    if (result.path("unexplained").isNumber()) return result.get("unexplained").asLong();
    long n = 0;
    for (JsonNode f : result.path("features")) n += f.path("causes").path("UNEXPLAINED").asLong(0);
    return n;
  }

  static int exitCode(JsonNode job, PrintWriter err) {
    long n = unexplained(job.path("result"));
    if (n == 0) return 0;
    long features = 0;
    for (JsonNode f : job.path("result").path("features")) if (f.path("causes").path("UNEXPLAINED").asLong(0) > 0) features++;
    err.println("error: " + Numbers.count(n) + " unexplained mismatch" + (n == 1 ? "" : "es")
        + (features > 0 ? " in " + features + " feature" + (features == 1 ? "" : "s") : "")
        + ": online and offline values disagree for no known reason");
    err.flush();
    return 1;
  }

  private static String rate(JsonNode n) {
    return n == null || !n.isNumber() ? "-" : Numbers.percent(n.asDouble());
  }

  private static String number(JsonNode n) {
    return n == null || !n.isNumber() ? "-" : Numbers.decimal(n.asDouble());
  }
}
