package dev.tessera.stream.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health} component {@code streamingJobs}: the state of every job on this
 * instance. DOWN while a job has FAILED (Kafka Streams gave up; the service restarts it with a
 * back-off) or while the registry or the job intents are not read to their end: an instance in
 * either state writes stale tiles or none, and an orchestrator must see it. A job waiting for its
 * source topics is UP (there is nothing to process yet) and says so. A GroupBy's entry is its
 * newest running version; the live version's job beside a rollout shows as {@code <name>@v<version>}.
 */
public final class JobsHealthIndicator implements HealthIndicator {
  private final StreamingJobs jobs;

  public JobsHealthIndicator(StreamingJobs jobs) {
    this.jobs = jobs;
  }

  /** What the health of one job depends on. */
  record JobStatus(String name, int version, JobState state, String reason, String error, Long lag) {
    static JobStatus of(StreamingJob job) {
      return new JobStatus(job.name(), job.version(), job.state(), job.reason(), job.error(), job.lag() == null ? null : job.lag().total());
    }
  }

  @Override
  public Health health() {
    return health(jobs.list().stream().map(JobStatus::of).toList(), jobs.isReady());
  }

  static Health health(List<JobStatus> jobs, boolean ready) {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean failed = false;
    for (JobStatus job : jobs) {
      if (job.state() == JobState.STOPPED) continue;
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("version", job.version());
      d.put("state", job.state().name());
      if (job.reason() != null) d.put("reason", job.reason());
      if (job.state() == JobState.FAILED && job.error() != null) d.put("error", job.error());
      if (job.lag() != null) d.put("lag", job.lag());
      // During a rollout two versions run: the newest (listed first) keeps the GroupBy's key, the other is shown beside it.
      if (details.putIfAbsent(job.name(), d) != null) details.put(job.name() + "@v" + job.version(), d);
      failed |= job.state() == JobState.FAILED;
    }
    Health.Builder b = failed || !ready ? Health.down() : Health.up();
    if (!ready) b.withDetail("reason", "the registry topic or the job intents are not read to their end yet");
    return b.withDetail("jobs", details).build();
  }
}
