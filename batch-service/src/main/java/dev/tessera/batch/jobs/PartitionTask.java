package dev.tessera.batch.jobs;

import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReaderState;
import java.util.Map;
import org.springframework.batch.core.step.StepExecution;

/**
 * What one partition of a partitioned job does: where its entities come from and where their
 * results go. Each partition execution gets its own reader and output (partitions run concurrently);
 * {@link PartitionChunkStep} runs them as a Spring Batch chunk step and keeps the checkpoint.
 */
public interface PartitionTask {

  /** The {@code groupBy} tag of the partition's row and entity metrics: the job's GroupBy by default. */
  default String metricsGroupBy(StepExecution step) {
    return String.valueOf(step.getJobParameters().getString(JobParameterNames.GROUP_BY));
  }

  /** The partition's entities, resuming after the checkpoint when there is one. */
  Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume);

  /**
   * The partition's output. Writes must be idempotent per partition: on a first attempt the output
   * first removes anything this partition's slice holds from an earlier run; on a resume, anything
   * after {@code resume.lastEntity()} (a chunk committed just before a crash, whose checkpoint was lost).
   */
  Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume);

  /** A stream of entities with its checkpoint. */
  interface Reader extends AutoCloseable {
    /** The next entity, or null at the end. */
    Entity next();

    ReaderState state();

    @Override
    void close();

    /** A reader made of the three methods of one of the read package's readers (e.g. {@code LeftDrivenReader}). */
    static Reader of(java.util.function.Supplier<Entity> next, java.util.function.Supplier<ReaderState> state, Runnable close) {
      return new Reader() {
        @Override
        public Entity next() {
          return next.get();
        }

        @Override
        public ReaderState state() {
          return state.get();
        }

        @Override
        public void close() {
          close.run();
        }
      };
    }
  }

  /** Buffers the results of a chunk of entities and writes them in one transaction. */
  interface Output extends AutoCloseable {
    void accept(Entity entity);

    /** Writes and commits what {@link #accept} buffered; returns the rows (or keys) written. */
    long commit();

    /** Counts of the chunk just committed beyond rows written (e.g. keys deleted), reset by the call. */
    default Map<String, Long> drainCounters() {
      return Map.of();
    }

    @Override
    void close();
  }
}
