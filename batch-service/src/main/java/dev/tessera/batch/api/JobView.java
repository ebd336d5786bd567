package dev.tessera.batch.api;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/jobs/{id}}: a job with its progress, partitions, rejections, errors and result.
 *
 * @param id the job id (Spring Batch job instance id; a restart keeps it)
 * @param status the latest attempt's status: STARTING, STARTED, COMPLETED, FAILED, STOPPING, STOPPED...
 * @param attempts every execution of the job, oldest first
 */
public record JobView(long id, String job, String status, String exitCode, String groupBy, Long version, String target,
    Map<String, Object> parameters, LocalDateTime createdAt, LocalDateTime startedAt, LocalDateTime endedAt, Progress progress,
    List<PartitionView> partitions, Rejections rejections, List<String> errors, Map<String, Object> result, List<Attempt> attempts) {

  /** Totals over all partitions (or the ingest step), of committed work. */
  public record Progress(int partitionsDone, int partitionsTotal, long rowsRead, long rowsAccepted, long rowsFiltered,
      long rowsRejected, long rowsOutOfRange, long entities, long rowsWritten) {}

  /**
   * One partition of a partitioned step ({@code step}, e.g. {@code backfill.compute}); numbered from 0 within its step.
   * {@code worker}: the worker process that ran it last (remote partitioning; null when it ran in the service itself).
   */
  public record PartitionView(String step, int partition, String status, LocalDateTime startedAt, LocalDateTime endedAt, long rowsRead,
      long rowsAccepted, long rowsFiltered, long rowsRejected, long entities, long rowsWritten, String error, String worker) {}

  /** Rejected rows by reason, and a few samples with the row's values. */
  public record Rejections(long total, Map<String, Long> reasons, List<Sample> samples) {}

  public record Sample(String reason, String row) {}

  public record Attempt(long executionId, String status, LocalDateTime startedAt, LocalDateTime endedAt, String exitMessage) {}
}
