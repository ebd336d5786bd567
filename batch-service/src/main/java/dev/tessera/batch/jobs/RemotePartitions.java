package dev.tessera.batch.jobs;

import org.springframework.batch.core.partition.PartitionHandler;

/**
 * Where a partitioned step's partitions run when not on this process's partition executor: the
 * remote package's handler, which sends them to worker processes (README "Remote partitioning").
 */
@FunctionalInterface
public interface RemotePartitions {
  /** The handler of the partitioned step whose worker step is {@code workerStep}. */
  PartitionHandler handler(String workerStep);
}
