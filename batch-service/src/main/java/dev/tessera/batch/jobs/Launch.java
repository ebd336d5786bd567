package dev.tessera.batch.jobs;

import dev.tessera.agg.registry.PublishedGroupBy;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A validated request, ready to start: the job, its parameters, what it writes, and the exact
 * GroupBy version it was validated against (null for jobs without a GroupBy).
 */
public record Launch(Job job, JobParameters parameters, String target, PublishedGroupBy groupBy) {}
