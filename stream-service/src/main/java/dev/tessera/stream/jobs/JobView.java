package dev.tessera.stream.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.stream.metrics.JobMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A streaming job as the API shows it. Counts are this instance's since it started the job; lag is
 * the job's (all instances).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String groupBy, int version, JobState state, String applicationId, List<String> sourceTopics,
    String deadLetterTopic, Instant startedAt, Instant stoppedAt, String reason, String error, Lag lag, Events events,
    Tiles tiles, Instant newestEventTime, Double freshnessSeconds, Set<String> tasks) {

  /** {@code refused}: the malformed events by acceptance reason (DESIGN.md "Which events count"). */
  public record Events(long in, long applied, long filtered, long late, Map<String, Long> deadLettered, Map<String, Long> refused,
      long rerouted) {}

  public record Tiles(long written, long trimmed, long writeFailures) {}

  public static JobView of(StreamingJob job) {
    JobMetrics.Snapshot m = job.metrics().snapshot();
    Long newest = job.metrics().newestEventTime();
    double freshness = job.metrics().freshnessSeconds();
    return new JobView(job.name(), job.version(), job.state(), job.applicationId(), job.sourceTopics(), job.deadLetterTopic(),
        job.startedAt(), job.stoppedAt(), job.reason(), job.error(), job.lag(),
        new Events(m.in(), m.applied(), m.filtered(), m.late(), m.deadLettered(), m.refused(), m.rerouted()),
        new Tiles(m.tilesWritten(), m.tilesTrimmed(), m.writeFailures()),
        newest == null ? null : Instant.ofEpochMilli(newest), Double.isNaN(freshness) ? null : freshness, job.localTasks());
  }
}
