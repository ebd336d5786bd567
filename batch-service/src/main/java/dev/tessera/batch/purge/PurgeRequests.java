package dev.tessera.batch.purge;

import dev.tessera.batch.jobs.DefinitionsNotReadyException;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.JobStateException;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.support.Definitions;
import dev.tessera.support.DefinitionsUnavailableException;
import dev.tessera.support.LiveGroupBy;
import java.util.Optional;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;

/** Validates a purge request and turns it into a launch. */
public final class PurgeRequests {
  private final RequestSupport support;
  private final Definitions definitions;
  private final Job job;

  PurgeRequests(RequestSupport support, Definitions definitions, Job job) {
    this.support = support;
    this.definitions = definitions;
    this.job = job;
  }

  /**
   * @throws JobStateException when the version is the live one (being served) or the pending one
   *     (being rolled out: its upload may already be in Redis, and the switch would serve it)
   */
  public Launch launch(PurgeRequest r) {
    // Only a GroupBy with a live version is known (a retired one's versions are unknown to Definitions).
    LiveGroupBy live = support.groupBy(r.groupBy());
    if (r.version() == null) throw new InvalidRequestException("version", "is required: the GroupBy version whose Redis keys to delete");
    int version = r.version();
    if (version < 1) throw new InvalidRequestException("version", "must be at least 1, got " + version);
    if (version == live.version()) {
      throw new JobStateException("version " + version + " of " + live.name() + " is live: its Redis data is being served");
    }
    pending(live.name()).filter(p -> p.version() == version).ifPresent(p -> {
      throw new JobStateException("version " + version + " of " + live.name() + " is being rolled out: its Redis data is about to be served");
    });
    // The same target as an upload of that version: a purge never runs beside an upload writing it.
    String target = "redis:" + live.name() + ":" + version;
    JobParameters params = support.identity(target)
        .addString(JobParameterNames.GROUP_BY, live.name(), false)
        .addLong(JobParameterNames.VERSION, (long) version, false)
        .toJobParameters();
    return new Launch(job, params, target, null);
  }

  private Optional<LiveGroupBy> pending(String name) {
    try {
      return definitions.pending(name);
    } catch (DefinitionsUnavailableException e) {
      throw new DefinitionsNotReadyException(definitions.description());
    }
  }
}
