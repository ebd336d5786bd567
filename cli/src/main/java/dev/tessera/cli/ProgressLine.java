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

  /**
   * One line of a rollout, from {@code GET /api/v1/groupbys/{name}/rollout}: state, steps ended (a bar
   * on a terminal), the current step with its status and detail.
   */
  static String rollout(JsonNode view, Duration elapsed, boolean bar) {
    JsonNode steps = view.path("steps");
    int ended = 0;
    for (JsonNode s : steps) {
      String status = s.path("status").asString("");
      if (status.equals("DONE") || status.equals("SKIPPED")) ended++;
    }
    StringBuilder sb = new StringBuilder("rollout ").append(view.path("name").asString("?")).append(" v")
        .append(view.path("version").asString("?")).append(' ').append(RolloutCommand.state(view));
    if (!steps.isEmpty()) {
      sb.append("  ");
      if (bar) sb.append(bar(ended / (double) steps.size(), BAR_WIDTH)).append(' ');
      sb.append(ended).append('/').append(steps.size()).append(" steps");
    }
    JsonNode step = RolloutCommand.currentStep(view);
    if (step != null) {
      sb.append("  ").append(step.path("step").asString("?")).append(' ').append(step.path("status").asString("?"));
      if (step.hasNonNull("detail")) sb.append(": ").append(step.get("detail").asString());
    }
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
