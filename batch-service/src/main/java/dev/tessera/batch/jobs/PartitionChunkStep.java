package dev.tessera.batch.jobs;

import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReadStats;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;
import org.springframework.batch.core.step.ThreadStepInterruptionPolicy;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The worker step of every partitioned job (the job template: a job is its plan plus a
 * {@link PartitionTask}, a reader and an output). Each partition execution runs as a Spring Batch
 * chunk step of its own, built for it (a step instance must not serve concurrent executions), over
 * {@link Items}: the task's entities, in batches, are the items; a chunk's entities go to the
 * task's output, which writes them in one warehouse transaction; then {@link Items#update} saves the
 * {@link PartitionCheckpoint} in the partition's execution context, which the chunk step stores with
 * the step in its own transaction. A restarted partition opens after the last checkpoint; the
 * counts shown while it runs are those of committed chunks. Each execution (a first run, a take-over,
 * a restart) is a fenced holding ({@link FenceHolding}): a holder superseded meanwhile has its chunk
 * rolled back and its step fails.
 *
 * <p>Standard Spring Batch counters carry the partition's totals over all its attempts: read = rows
 * read, filter = rows a where removed, read skip = rows rejected, write = rows written, commit =
 * chunks (the checkpoint's, set after the chunk step counted its items).
 */
public final class PartitionChunkStep implements Step {
  private static final Logger log = LoggerFactory.getLogger(PartitionChunkStep.class);
  /** Entities per item at most: a chunk is a few items (one call per item is cheaper than one per entity). */
  static final int ITEM = 1000;

  private final String name;
  private final JobRepository repository;
  private final PlatformTransactionManager transactionManager;
  private final PartitionTask task;
  private final int chunkEntities;
  private final int maxSamples;
  private final FailurePoints failures;
  private final JobMetrics metrics;
  private final StepExecutionListener fence;

  /** @param fence the listener that makes each execution a fenced holding ({@link FenceHolding}), or null for none */
  public PartitionChunkStep(String name, JobRepository repository, PlatformTransactionManager transactionManager, PartitionTask task,
      int chunkEntities, int maxSamples, FailurePoints failures, JobMetrics metrics, StepExecutionListener fence) {
    this.name = name;
    this.repository = repository;
    this.transactionManager = transactionManager;
    this.task = task;
    this.chunkEntities = chunkEntities;
    this.maxSamples = maxSamples;
    this.failures = failures;
    this.metrics = metrics;
    this.fence = fence;
  }

  /** Entities (or rows) per item of a chunk of {@code chunkEntities}. */
  public static int perItem(int chunkEntities) {
    return Math.min(ITEM, chunkEntities);
  }

  /** Items per chunk: {@code chunkEntities} entities, rounded down to whole items. */
  public static int itemsPerChunk(int chunkEntities) {
    return Math.max(1, chunkEntities / perItem(chunkEntities));
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public void execute(StepExecution execution) throws JobInterruptedException {
    Items items = new Items(execution);
    var builder = new StepBuilder(name, repository).<Accepted, Accepted>chunk(itemsPerChunk(chunkEntities))
        .transactionManager(transactionManager)
        .reader(items)
        .writer(items)
        .interruptionPolicy(items);
    if (fence != null) builder.listener(fence);
    builder.build().execute(execution);
  }

  /**
   * An item: entities the task's output has taken into the open chunk, and the last one's key. Each
   * entity is computed into the chunk's output buffers as it is read, so memory holds one entity at a
   * time (and one chunk of output), never a chunk of entities.
   */
  record Accepted(int entities, List<Object> lastKey) {}

  /**
   * One partition execution's reader and writer: reads entities from the task's reader into its
   * output, commits the output per chunk, and keeps the checkpoint (restored by {@link #open}, saved
   * by {@link #update}). As an interruption policy (checked between chunks, once the last one is
   * committed) it also stops a partition over the reject limit.
   */
  final class Items implements ItemStreamReader<Accepted>, ItemWriter<Accepted>, StepExecutionListener, StepInterruptionPolicy {
    private final StepInterruptionPolicy threadInterruption = new ThreadStepInterruptionPolicy();
    private final StepExecution step;
    private final String job;
    private final String groupBy;
    private final Long maxRejected;
    private final int entitiesPerItem = perItem(chunkEntities);

    private Partition partition;
    private PartitionTask.Reader reader;
    private PartitionTask.Output output;
    private boolean exhausted;
    private PartitionCheckpoint checkpoint;
    private List<Object> lastEntity;
    private long entities;
    private long rowsWritten;
    private long chunks;
    private Map<String, Long> counters = Map.of();
    private ReadStats reported = new ReadStats(0);
    private TooManyRejectionsException tooMany;
    private long readNanos;
    private long commitNanos;
    private long started;

    Items(StepExecution step) {
      this.step = step;
      this.job = step.getJobExecution().getJobInstance().getJobName();
      this.groupBy = task.metricsGroupBy(step);
      this.maxRejected = step.getJobParameters().getLong(JobParameterNames.MAX_REJECTED_ROWS);
    }

    @Override
    public void open(ExecutionContext ctx) {
      started = System.nanoTime();
      partition = new Partition(ctx.getInt(KeyHashPartitioner.PARTITION), ctx.getInt(KeyHashPartitioner.PARTITIONS));
      PartitionCheckpoint resume = PartitionCheckpoint.read(ctx, maxSamples);
      if (resume != null) {
        checkpoint = resume;
        lastEntity = resume.lastEntity();
        entities = resume.entities();
        rowsWritten = resume.rowsWritten();
        chunks = resume.chunks();
        counters = resume.counters();
        reported = resume.stats(0);
      }
      reader = task.openReader(step, partition, resume);
      output = task.openOutput(step, partition, resume);
    }

    /** Reads up to a batch of entities into the output; null at the end. */
    @Override
    public Accepted read() {
      if (exhausted) return null;
      long t0 = System.nanoTime();
      int n = 0;
      List<Object> last = null;
      while (n < entitiesPerItem) {
        Entity e = reader.next();
        if (e == null) {
          exhausted = true;
          break;
        }
        output.accept(e);
        last = e.key();
        n++;
      }
      readNanos += System.nanoTime() - t0;
      return n == 0 ? null : new Accepted(n, last);
    }

    /** Commits what the chunk's items put in the output, in one warehouse transaction. */
    @Override
    public void write(Chunk<? extends Accepted> chunk) {
      failures.reached(FailurePoints.CHUNK_COMMITTING, step);
      long t0 = System.nanoTime();
      long written = output.commit();
      commitNanos += System.nanoTime() - t0;
      failures.reached(FailurePoints.CHUNK_COMMITTED, step);
      long n = 0;
      for (Accepted a : chunk) n += a.entities();
      lastEntity = chunk.getItems().getLast().lastKey();
      entities += n;
      rowsWritten += written;
      chunks++;
      counters = PartitionCheckpoint.plus(counters, output.drainCounters());
      metrics.rows(job, groupBy, "written", written);
      metrics.entities(job, groupBy, n);
    }

    /**
     * Saves the checkpoint with every chunk (and after the last, when the readers have counted the
     * rows no entity took), sets the step's counters and counts the rows in the metrics. A partition
     * that alone rejected more rows than the whole job may is stopped once this chunk is committed.
     */
    @Override
    public void update(ExecutionContext ctx) {
      checkpoint = new PartitionCheckpoint(reader.state(), lastEntity, entities, rowsWritten, chunks, counters);
      checkpoint.write(ctx);
      ReadStats now = checkpoint.stats(0);
      record(now);
      metrics.rows(job, groupBy, "read", now.read() - reported.read());
      metrics.rows(job, groupBy, "accepted", now.accepted() - reported.accepted());
      metrics.rows(job, groupBy, "filtered", now.filtered() - reported.filtered());
      metrics.rows(job, groupBy, "rejected", now.rejected() - reported.rejected());
      now.refusals().forEach((reason, n) -> metrics.refused(job, groupBy, reason, n - reported.refusals().getOrDefault(reason, 0L)));
      reported = now;
      if (maxRejected != null && maxRejected >= 0 && now.rejected() > maxRejected && tooMany == null) {
        tooMany = new TooManyRejectionsException("partition " + partition + " rejected " + now.rejected()
            + " rows, more than the limit of " + maxRejected + " for the whole job; reasons: " + now.reasons());
      }
    }

    /** Between chunks: fails the partition over the reject limit (its last chunk and checkpoint committed), else stop requests. */
    @Override
    public void checkInterrupted(StepExecution execution) throws JobInterruptedException {
      if (tooMany != null) throw tooMany;
      threadInterruption.checkInterrupted(execution);
    }

    /** The step's counters are the checkpoint's (the chunk step counts items, and a failed chunk's too). */
    private void record(ReadStats stats) {
      step.setReadCount(stats.read());
      step.setFilterCount(stats.filtered());
      step.setReadSkipCount(stats.rejected());
      step.setWriteCount(checkpoint.rowsWritten());
      step.setCommitCount(checkpoint.chunks());
    }

    /**
     * Sets the counters to the last committed checkpoint's, and fails a partition whose last chunk
     * took it over the reject limit (the chunk step checks the interruption policy only before a
     * chunk, so the end of the partition comes here).
     */
    @Override
    public ExitStatus afterStep(StepExecution execution) {
      if (checkpoint != null) record(checkpoint.stats(0));
      if (tooMany != null && execution.getStatus() == BatchStatus.COMPLETED) {
        execution.setStatus(BatchStatus.FAILED);
        execution.addFailureException(tooMany);
        return ExitStatus.FAILED.addExitDescription(tooMany);
      }
      if (execution.getStatus() == BatchStatus.COMPLETED) {
        log.info("{} partition {}: {} entities, {} rows read, {} written in {} ms (reading and computing {} ms, committing {} ms)", job,
            partition, entities, checkpoint == null ? 0 : checkpoint.stats(0).read(), rowsWritten,
            (System.nanoTime() - started) / 1_000_000, readNanos / 1_000_000, commitNanos / 1_000_000);
      }
      return null;
    }

    @Override
    public void close() {
      try {
        if (reader != null) reader.close();
      } finally {
        if (output != null) output.close();
        reader = null;
        output = null;
      }
    }
  }
}
