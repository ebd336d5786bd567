package dev.tessera.batch.join;

import dev.tessera.support.Definitions;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.batch.definitions.ResolvedJoin;
import dev.tessera.batch.jobs.DefinitionHandoff;
import dev.tessera.batch.jobs.JobParameterNames;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Records the Join and its parts' GroupBy versions a job runs with in its execution context, before
 * the first step (as JobGroupBy does for a GroupBy): the versions the request was validated against,
 * handed over by the submitter. A restart finds them there, so it computes with the same versions
 * whatever the registry published since.
 */
public final class JobJoin implements JobExecutionListener {
  /** The job parameters a job with a Join records (the listener acts on jobs that have {@link #JOIN}). */
  public static final String JOIN = JoinPlan.JOIN;
  public static final String JOIN_VERSION = JoinPlan.JOIN_VERSION;
  /** The GroupBy version of each part, comma-separated, in part order. */
  public static final String PART_VERSIONS = JoinPlan.PART_VERSIONS;

  private final DefinitionHandoff handoff;
  private final Definitions definitions;
  private final JobRepository repository;

  JobJoin(DefinitionHandoff handoff, Definitions definitions, JobRepository repository) {
    this.handoff = handoff;
    this.definitions = definitions;
    this.repository = repository;
  }

  @Override
  public void beforeJob(JobExecution execution) {
    ExecutionContext ctx = execution.getExecutionContext();
    JobParameters params = execution.getJobParameters();
    String name = params.getString(JoinPlan.JOIN);
    if (name == null || ctx.containsKey(JoinPlan.DEFINITION)) return;
    ResolvedJoin resolved = handoff.takeJoin(params.getString(JobParameterNames.REQUEST_ID)).orElseGet(() -> lookUp(name, params));
    ctx.putString(JoinPlan.DEFINITION, resolved.toJson());
    repository.updateExecutionContext(execution);
  }

  /** The Join and its parts' GroupBy versions recorded for {@code execution}'s job. */
  public static ResolvedJoin recorded(JobExecution execution) {
    String json = execution.getExecutionContext().getString(JoinPlan.DEFINITION, null);
    if (json == null) throw new IllegalStateException("job " + execution.getJobInstanceId() + " has no Join recorded");
    return ResolvedJoin.fromJson(json);
  }

  /** Without a handoff (a job that never got to record them): the same versions, looked up again, or a failure. */
  private ResolvedJoin lookUp(String name, JobParameters params) {
    int version = Math.toIntExact(params.getLong(JoinPlan.JOIN_VERSION));
    PublishedJoin join = definitions.joinVersion(name, version).orElseThrow(() -> new IllegalStateException("Join " + name + " version "
        + version + " is no longer published (" + definitions.description() + "); start a new job"));
    List<Integer> versions = java.util.Arrays.stream(params.getString(JoinPlan.PART_VERSIONS).split(",")).map(Integer::valueOf).toList();
    // Each part at the version it had when the job was requested, pinned or not.
    var parts = join.definition().parts();
    GroupByResolver pinned = (groupBy, v) -> {
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).groupBy().equals(groupBy) && java.util.Objects.equals(parts.get(i).version(), v)) {
          int at = versions.get(i);
          return definitions.version(groupBy, at).<GroupByResolver.Resolution>map(g -> new GroupByResolver.Found(at, g.compiled()))
              .orElseGet(() -> new GroupByResolver.Missing("GroupBy '" + groupBy + "' has no version " + at));
        }
      }
      return new GroupByResolver.Missing("GroupBy '" + groupBy + "' is not a part of " + name);
    };
    var compiled = JoinCompiler.compile(join.definition(), pinned).orThrow();
    var recorded = compiled.parts().stream().map(p -> definitions.version(p.groupBy().name(), p.groupByVersion()).orElseThrow().published()).toList();
    return new ResolvedJoin(join, recorded);
  }
}
