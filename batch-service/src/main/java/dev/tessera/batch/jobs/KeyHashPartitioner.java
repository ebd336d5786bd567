package dev.tessera.batch.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits a job into {@code N} slices of the key space: slice {@code i} holds the entities whose key
 * hashes to {@code i} (the warehouse computes the hash, see SqlDialect#partitionOf). N comes from the
 * job's {@code partitions} parameter, so a restart (same parameters) slices exactly as the first run
 * did, whatever the service's configuration says by then.
 */
public final class KeyHashPartitioner implements Partitioner {
  public static final String PARTITION = "tessera.partition";
  public static final String PARTITIONS = "tessera.partitions";

  /** The step execution name suffix of partition {@code i}. */
  public static String key(int i) {
    return String.format("p%03d", i);
  }

  @Override
  public Map<String, ExecutionContext> partition(int gridSize) {
    StepContext step = StepSynchronizationManager.getContext();
    Long n = step == null ? null : step.getStepExecution().getJobParameters().getLong(JobParameterNames.PARTITIONS);
    int count = n == null ? gridSize : Math.toIntExact(n);
    Map<String, ExecutionContext> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      ExecutionContext ctx = new ExecutionContext();
      ctx.putInt(PARTITION, i);
      ctx.putInt(PARTITIONS, count);
      out.put(key(i), ctx);
    }
    return out;
  }
}
