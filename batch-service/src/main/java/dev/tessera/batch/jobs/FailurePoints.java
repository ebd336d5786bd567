package dev.tessera.batch.jobs;

import org.springframework.batch.core.step.StepExecution;

/**
 * Named places in the jobs where a crash is the most dangerous (after a warehouse commit, before the
 * job repository knows of it). Production does nothing there; the restart tests make a process
 * "die" at them and prove that the restarted job neither loses nor duplicates anything.
 */
@FunctionalInterface
public interface FailurePoints {
  /** A partition has its chunk's output in hand, about to commit it (a holder paused here may have been superseded). */
  String CHUNK_COMMITTING = "partition.chunk-committing";
  /** A partition committed a chunk to its output; its checkpoint is not saved yet. */
  String CHUNK_COMMITTED = "partition.chunk-committed";
  /** Ingest wrote a batch's rows and offsets; the transaction is not committed yet. */
  String INGEST_BEFORE_COMMIT = "ingest.before-commit";
  /** Ingest committed a batch; the job repository does not know it yet. */
  String INGEST_AFTER_COMMIT = "ingest.after-commit";

  /** Purge unlinked a batch of keys; others remain. */
  String PURGE_BATCH_UNLINKED = "purge.batch-unlinked";

  /** A shuffle scatter partition moved its spill files into place; the job repository does not know it yet. */
  String SCATTER_WRITTEN = "shuffle.scatter-written";

  FailurePoints NONE = (point, step) -> {};

  void reached(String point, StepExecution step);
}
