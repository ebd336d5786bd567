package dev.tessera.batch.join;

import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The partitions of a Join training set's steps, from the job's parameters (so a restart slices as the
 * first run did). Compute: for each part, {@code partitions} slices of that part's own key hash
 * (partition {@code part * partitions + slice}): each part reads its source(s) once over its slices.
 * Derive: {@code partitions} ranges of row ids, or none for a Join without derivations.
 */
final class JoinPartitioner implements Partitioner {
  static final String PART = "tessera.join.part";

  private final boolean derive;

  JoinPartitioner(boolean derive) {
    this.derive = derive;
  }

  @Override
  public Map<String, ExecutionContext> partition(int gridSize) {
    StepContext step = StepSynchronizationManager.getContext();
    if (step == null) throw new IllegalStateException("the Join partitioner runs inside a step");
    JobParameters params = step.getStepExecution().getJobParameters();
    int slices = Math.toIntExact(params.getLong(JobParameterNames.PARTITIONS));
    int parts = params.getString(JoinPlan.PART_VERSIONS).split(",").length;
    Map<String, ExecutionContext> out = new LinkedHashMap<>();
    if (derive && !Boolean.parseBoolean(params.getString(JoinPlan.DERIVES))) return out;
    for (int part = 0; part < (derive ? 1 : parts); part++) {
      for (int slice = 0; slice < slices; slice++) {
        ExecutionContext ctx = new ExecutionContext();
        ctx.putInt(KeyHashPartitioner.PARTITION, slice);
        ctx.putInt(KeyHashPartitioner.PARTITIONS, slices);
        ctx.putInt(PART, part);
        out.put(KeyHashPartitioner.key(part * slices + slice), ctx);
      }
    }
    return out;
  }
}
