package dev.tessera.batch.jobs;

import dev.tessera.support.Definitions;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Records the GroupBy definition a job runs with in its execution context, before the first step.
 * The context survives restarts, so a restarted job computes with exactly the version it started
 * with, even if the registry has published a newer one (or retired it) since. Steps read it back
 * with {@link #of(JobExecution)}.
 */
public final class JobGroupBy implements JobExecutionListener {
  public static final String DEFINITION = "tessera.groupBy";

  private final DefinitionHandoff handoff;
  private final Definitions definitions;
  private final JobRepository repository;

  public JobGroupBy(DefinitionHandoff handoff, Definitions definitions, JobRepository repository) {
    this.handoff = handoff;
    this.definitions = definitions;
    this.repository = repository;
  }

  @Override
  public void beforeJob(JobExecution execution) {
    ExecutionContext ctx = execution.getExecutionContext();
    JobParameters params = execution.getJobParameters();
    String name = params.getString(JobParameterNames.GROUP_BY);
    if (name == null || ctx.containsKey(DEFINITION)) return;
    Long version = params.getLong(JobParameterNames.VERSION);
    PublishedGroupBy published = handoff.take(params.getString(JobParameterNames.REQUEST_ID))
        .orElseGet(() -> definitions.live(name)
            .filter(live -> version == null || live.version() == version)
            .map(live -> live.published())
            .orElseThrow(() -> new IllegalStateException("GroupBy " + name + " version " + version
                + " is no longer live (" + definitions.description() + "); start a new job")));
    ctx.putString(DEFINITION, published.toJson());
    repository.updateExecutionContext(execution);
  }

  /** The published GroupBy a job runs with. */
  public static PublishedGroupBy published(JobExecution execution) {
    String json = execution.getExecutionContext().getString(DEFINITION, null);
    if (json == null) throw new IllegalStateException("job " + execution.getJobInstanceId() + " has no GroupBy recorded");
    return PublishedGroupBy.fromJson(json);
  }

  public static CompiledGroupBy of(JobExecution execution) {
    return GroupByCompiler.compile(published(execution).definition()).orThrow();
  }
}
