package dev.tessera.batch.jobs;

import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReadStats;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The worker step of every partitioned job: reads its partition's entities in chunks, hands each
 * chunk to the output, which writes it in one transaction, then saves a {@link PartitionCheckpoint}
 * and the step's counts in the job repository. A restarted partition continues after the last
 * checkpoint; the counts shown while it runs are those of committed chunks.
 *
 * <p>Standard Spring Batch counters carry the totals for other tools: read = rows read, filter =
 * rows a where removed, read skip = rows rejected, write = rows written, commit = chunks.
 */
public final class PartitionWorkerStep extends AbstractStep {
  private static final Logger log = LoggerFactory.getLogger(PartitionWorkerStep.class);
  private final PartitionTask task;
  private final int chunkEntities;
  private final int maxSamples;
  private final FailurePoints failures;
  private final JobMetrics metrics;

  public PartitionWorkerStep(String name, JobRepository repository, PartitionTask task, int chunkEntities, int maxSamples,
      FailurePoints failures, JobMetrics metrics) {
    super(repository);
    setName(name);
    this.task = task;
    this.chunkEntities = chunkEntities;
    this.maxSamples = maxSamples;
    this.failures = failures;
    this.metrics = metrics;
  }

  @Override
  protected void doExecute(StepExecution step) throws Exception {
    ExecutionContext ctx = step.getExecutionContext();
    Partition partition = new Partition(ctx.getInt(KeyHashPartitioner.PARTITION), ctx.getInt(KeyHashPartitioner.PARTITIONS));
    PartitionCheckpoint resume = PartitionCheckpoint.read(ctx, maxSamples);
    String job = step.getJobExecution().getJobInstance().getJobName();
    String groupBy = String.valueOf(step.getJobParameters().getString(JobParameterNames.GROUP_BY));
    Long maxRejected = step.getJobParameters().getLong(JobParameterNames.MAX_REJECTED_ROWS);

    PartitionCheckpoint checkpoint = resume;
    long readNanos = 0;
    long computeNanos = 0;
    long commitNanos = 0;
    long started = System.nanoTime();
    ReadStats before = resume == null ? new ReadStats(0) : resume.stats(0);
    try (PartitionTask.Reader reader = task.openReader(step, partition, resume);
        PartitionTask.Output output = task.openOutput(step, partition, resume)) {
      boolean more = true;
      while (more) {
        if (step.isTerminateOnly()) throw new JobInterruptedException("partition " + partition + " stopped on request");
        List<Object> last = checkpoint == null ? null : checkpoint.lastEntity();
        int n = 0;
        while (n < chunkEntities) {
          long t0 = System.nanoTime();
          Entity e = reader.next();
          long t1 = System.nanoTime();
          readNanos += t1 - t0;
          if (e == null) {
            more = false;
            break;
          }
          output.accept(e);
          computeNanos += System.nanoTime() - t1;
          last = e.key();
          n++;
        }
        long t2 = System.nanoTime();
        long written = output.commit();
        commitNanos += System.nanoTime() - t2;
        failures.reached(FailurePoints.CHUNK_COMMITTED, step);
        checkpoint = new PartitionCheckpoint(reader.state(), last,
            (checkpoint == null ? 0 : checkpoint.entities()) + n,
            (checkpoint == null ? 0 : checkpoint.rowsWritten()) + written,
            (checkpoint == null ? 0 : checkpoint.chunks()) + 1,
            PartitionCheckpoint.plus(checkpoint == null ? Map.of() : checkpoint.counters(), output.drainCounters()));
        checkpoint.write(ctx);
        ReadStats now = checkpoint.stats(0);
        record(step, checkpoint, now);
        getJobRepository().update(step);
        getJobRepository().updateExecutionContext(step);
        report(job, groupBy, before, now, n, written);
        before = now;
        if (maxRejected != null && maxRejected >= 0 && now.rejected() > maxRejected) {
          throw new TooManyRejectionsException("partition " + partition + " rejected " + now.rejected()
              + " rows, more than the limit of " + maxRejected + " for the whole job; reasons: " + now.reasons());
        }
      }
      log.info("{} partition {}: {} entities, {} rows read, {} written in {} ms (reading {} ms, computing and appending {} ms,"
          + " committing {} ms)", job, partition, checkpoint.entities(), checkpoint.stats(0).read(), checkpoint.rowsWritten(),
          (System.nanoTime() - started) / 1_000_000, readNanos / 1_000_000, computeNanos / 1_000_000, commitNanos / 1_000_000);
    }
  }

  private static void record(StepExecution step, PartitionCheckpoint c, ReadStats stats) {
    step.setReadCount(stats.read());
    step.setFilterCount(stats.filtered());
    step.setReadSkipCount(stats.rejected());
    step.setWriteCount(c.rowsWritten());
    step.setCommitCount(c.chunks());
  }

  private void report(String job, String groupBy, ReadStats before, ReadStats now, int entities, long written) {
    metrics.rows(job, groupBy, "read", now.read() - before.read());
    metrics.rows(job, groupBy, "accepted", now.accepted() - before.accepted());
    metrics.rows(job, groupBy, "filtered", now.filtered() - before.filtered());
    metrics.rows(job, groupBy, "rejected", now.rejected() - before.rejected());
    now.refusals().forEach((reason, n) -> metrics.refused(job, groupBy, reason, n - before.refusals().getOrDefault(reason, 0L)));
    metrics.rows(job, groupBy, "written", written);
    metrics.entities(job, groupBy, entities);
  }
}
