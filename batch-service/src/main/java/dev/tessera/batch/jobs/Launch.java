package dev.tessera.batch.jobs;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.definitions.ResolvedJoin;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A validated request, ready to start: the job, its parameters, what it writes, and the exact
 * definitions it was validated against: a GroupBy version (null for jobs without one) or a Join with
 * its parts' GroupBy versions (null for jobs without one).
 */
public record Launch(Job job, JobParameters parameters, String target, PublishedGroupBy groupBy, ResolvedJoin join) {

  public Launch(Job job, JobParameters parameters, String target, PublishedGroupBy groupBy) {
    this(job, parameters, target, groupBy, null);
  }
}
