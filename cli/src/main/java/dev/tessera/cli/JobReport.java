package dev.tessera.cli;

import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A finished (or running) batch job for people: one summary line, the counts, the result, the
 * rejected rows by reason and the errors. Missing fields are skipped, never an error: the CLI may
 * be newer or older than the service.
 */
final class JobReport {
  static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  private JobReport() {}

  static boolean ended(JsonNode job) {
    return ENDED.contains(job.path("status").asString(""));
  }

  static boolean succeeded(JsonNode job) {
    String status = job.path("status").asString("");
    if (status.equals("COMPLETED")) return true;
    // a continuous ingest only ever ends by being stopped: that is its normal end
    return status.equals("STOPPED") && "ingest".equals(job.path("job").asString(""))
        && "continuous".equalsIgnoreCase(job.path("parameters").path("mode").asString(""))
        && job.path("errors").isEmpty();
  }

  static void print(PrintWriter out, JsonNode job) {
    out.println(summary(job));
    JsonNode p = job.path("progress");
    if (p.isObject()) {
      List<String> counts = new ArrayList<>();
      count(counts, p, "rowsRead", "read");
      count(counts, p, "rowsAccepted", "accepted");
      count(counts, p, "rowsFiltered", "filtered");
      count(counts, p, "rowsRejected", "rejected");
      count(counts, p, "rowsOutOfRange", "out of range");
      count(counts, p, "entities", "entities");
      count(counts, p, "rowsWritten", "written");
      if (p.path("partitionsTotal").asInt(0) > 0) {
        counts.add("partitions " + p.path("partitionsDone").asInt(0) + "/" + p.path("partitionsTotal").asInt(0));
      }
      if (!counts.isEmpty()) out.println("  " + String.join("  ", counts));
    }
    JsonNode result = job.path("result");
    if (result.isObject() && !result.isEmpty()) {
      out.println();
      Table t = new Table("result", "value");
      for (Map.Entry<String, JsonNode> e : result.properties()) t.row(e.getKey(), value(e.getValue()));
      t.print(out);
    }
    JsonNode rejections = job.path("rejections");
    if (rejections.path("total").asLong(0) > 0) {
      out.println();
      out.println("rejected rows: " + Numbers.count(rejections.path("total").asLong()));
      Table t = new Table("reason", "rows");
      for (Map.Entry<String, JsonNode> e : rejections.path("reasons").properties()) t.row(e.getKey(), Numbers.count(e.getValue()));
      t.print(out);
      JsonNode samples = rejections.path("samples");
      for (int i = 0; i < Math.min(3, samples.size()); i++) {
        out.println("  e.g. " + samples.get(i).path("row").asString("") + "  (" + samples.get(i).path("reason").asString("") + ")");
      }
    }
    List<String> errors = errors(job);
    if (!errors.isEmpty()) {
      out.println();
      out.println("errors:");
      errors.forEach(e -> out.println("  " + e));
    }
    out.flush();
  }

  /** "backfill 12 COMPLETED in 1m 02s: fraud_features v3 -> table:fraud_features_v3_daily". */
  static String summary(JsonNode job) {
    StringBuilder sb = new StringBuilder();
    sb.append(job.path("job").asString("job")).append(' ').append(job.path("id").asString("?")).append(' ')
        .append(job.path("status").asString("UNKNOWN"));
    String took = Numbers.runTime(job, LocalDateTime.now(ZoneOffset.UTC));
    if (took != null) sb.append(ended(job) ? " in " : " for ").append(took);
    String groupBy = job.path("groupBy").asString(null);
    if (groupBy != null) {
      sb.append(": ").append(groupBy);
      if (job.hasNonNull("version")) sb.append(" v").append(job.get("version").asString());
    }
    String target = job.path("target").asString(null);
    if (target != null) sb.append(groupBy == null ? ": " : " -> ").append(target);
    return sb.toString();
  }

  /**
   * Why a job did not succeed, in one line: its first error, else the rejected rows by reason,
   * else its status.
   */
  static String failureReason(JsonNode job) {
    String head = job.path("job").asString("job") + " " + job.path("id").asString("?") + " " + job.path("status").asString("UNKNOWN");
    List<String> errors = errors(job);
    if (!errors.isEmpty()) {
      return head + ": " + errors.getFirst() + (errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : "");
    }
    JsonNode rejections = job.path("rejections");
    long rejected = rejections.path("total").asLong(0);
    if (rejected > 0) {
      List<String> reasons = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : rejections.path("reasons").properties()) {
        reasons.add(e.getKey() + ": " + Numbers.count(e.getValue()));
      }
      return head + ": " + Numbers.count(rejected) + " rejected rows of " + Numbers.count(job.path("progress").path("rowsRead").asLong(0))
          + " read" + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
    }
    String exit = job.path("exitCode").asString(null);
    return head + (exit != null && !exit.equals(job.path("status").asString("")) ? " (exit code " + exit + ")" : "");
  }

  /**
   * The job's errors, the most telling first: Spring Batch's wrapper of a failed partition ("Partition
   * handler returned an unsuccessful step") goes after the partition's own error, and exception
   * class names are cut ("...TooManyRejectionsException: partition 1/2 rejected" -> "partition 1/2 rejected").
   */
  static List<String> errors(JsonNode job) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : job.path("errors")) out.add(readable(e.isString() ? e.asString() : e.toString()));
    out.sort(java.util.Comparator.comparing(e -> e.contains(GENERIC) ? 1 : 0));
    if (out.isEmpty() && !succeeded(job) && ended(job)) {
      // the last attempt's exit message when the service gave no errors list
      JsonNode attempts = job.path("attempts");
      if (!attempts.isEmpty()) {
        String m = attempts.get(attempts.size() - 1).path("exitMessage").asString(null);
        if (m != null && !m.isBlank()) out.add(readable(m));
      }
    }
    return out;
  }

  private static final String GENERIC = "Partition handler returned an unsuccessful step";
  private static final java.util.regex.Pattern EXCEPTION_CLASS =
      java.util.regex.Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

  static String readable(String error) {
    return EXCEPTION_CLASS.matcher(error).replaceAll("");
  }

  private static void count(List<String> out, JsonNode p, String field, String label) {
    if (p.has(field) && p.get(field).isNumber() && (p.get(field).asLong() != 0 || field.equals("rowsRead"))) {
      out.add(label + " " + Numbers.count(p.get(field).asLong()));
    }
  }

  static String value(JsonNode v) {
    if (v == null || v.isNull()) return "-";
    if (v.isNumber()) return Numbers.count(v);
    if (v.isString()) return v.asString();
    return v.toString();
  }
}
