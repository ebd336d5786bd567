package dev.tessera.cli;

import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/**
 * The result of a consistency job (online values served vs. the batch values recomputed for the
 * same entity and time): one row per feature with its mismatches and their causes. Unexplained
 * mismatches are skew the platform cannot account for: the command fails on them.
 */
final class ConsistencyReport {
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

  static Table table(JsonNode result) {
    Table t = new Table("feature", "compared", "mismatches", "rate", "SMAPE", "max |diff|", "late event", "stale batch",
        "version", "unexplained");
    for (JsonNode f : result.path("features")) {
      JsonNode causes = f.path("causes");
      t.row(f.path("feature").asString("?"), Numbers.count(f.get("rowsCompared")), Numbers.count(f.get("mismatches")),
          rate(f.get("mismatchRate")), number(f.get("smape")), number(f.get("maxAbsDiff")),
          Numbers.count(causes.get(CAUSES[0])), Numbers.count(causes.get(CAUSES[1])), Numbers.count(causes.get(CAUSES[2])),
          Numbers.count(causes.get(CAUSES[3])));
    }
    return t;
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
