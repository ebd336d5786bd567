package dev.tessera.cli;

import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * One line of progress of a batch job, from {@code GET /api/v1/jobs/{id}}: status, partitions
 * done (a bar on a terminal), rows read and entities. Counts are committed work, so they grow in
 * steps of a chunk.
 */
final class ProgressLine {
  static final int BAR_WIDTH = 24;

  private ProgressLine() {}

  /** The text of the line; {@code bar} adds a bar for partitioned jobs (terminals only). */
  static String render(JsonNode job, Duration elapsed, boolean bar) {
    JsonNode p = job.path("progress");
    int done = p.path("partitionsDone").asInt(0);
    int total = p.path("partitionsTotal").asInt(0);
    StringBuilder sb = new StringBuilder();
    sb.append(job.path("job").asString("job")).append(' ').append(job.path("id").asString("?"))
        .append(' ').append(job.path("status").asString("UNKNOWN"));
    if (total > 0) {
      sb.append("  ");
      if (bar) sb.append(bar(done / (double) total, BAR_WIDTH)).append(' ');
      sb.append(done).append('/').append(total).append(" partitions");
    }
    sb.append("  ").append(Numbers.count(p.path("rowsRead").asLong(0))).append(" rows read");
    long entities = p.path("entities").asLong(0);
    if (entities > 0) sb.append("  ").append(Numbers.count(entities)).append(" entities");
    long rejected = p.path("rowsRejected").asLong(0);
    if (rejected > 0) sb.append("  ").append(Numbers.count(rejected)).append(" rejected");
    if (elapsed != null) sb.append("  ").append(Numbers.elapsed(elapsed));
    return sb.toString();
  }

  /** {@code [#########---------------]} for a fraction in 0..1 (clamped). */
  static String bar(double fraction, int width) {
    double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.floor(f * width);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }

  /**
   * What to write to a terminal to replace the previous line: a carriage return, the line, and
   * enough blanks to cover a longer previous one.
   */
  static String overwrite(String line, int previousLength) {
    return "\r" + line + " ".repeat(Math.max(0, previousLength - line.length()));
  }
}
