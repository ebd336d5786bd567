package dev.tessera.batch.jobs;

import dev.tessera.batch.read.ReadStats;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * One partition as the job report shows it: its latest step execution and its committed progress.
 *
 * @param worker the worker process that ran it last (remote partitioning), or null when it ran in the job's own process
 */
public record PartitionReport(int partition, String status, LocalDateTime startTime, LocalDateTime endTime,
    long entities, long rowsWritten, long chunks, ReadStats stats, Map<String, Long> counters, String error, String worker) {

  /** Where a partition's step execution context names the worker process running it (remote partitioning). */
  public static final String WORKER = "tessera.worker";
}
