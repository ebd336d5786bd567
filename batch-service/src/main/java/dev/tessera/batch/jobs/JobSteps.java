package dev.tessera.batch.jobs;

import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.batch.warehouse.PartitionFence;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.task.TaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Builds the steps every job is made of: tasklets (prepare, finish) and the partitioned step
 * (a partitioner, {@link KeyHashPartitioner} by default, + a Spring Batch chunk step per partition,
 * run in parallel on the partition executor, or on worker processes with {@link RemotePartitions}; a
 * restart re-runs only the partitions that did not complete). It is also the {@link StepLocator} of
 * the worker steps it built, by which a worker process finds the step a partition request names.
 */
public final class JobSteps implements StepLocator {
  private final JobRepository repository;
  private final PlatformTransactionManager transactionManager;
  private final TaskExecutor partitionExecutor;
  private final BatchServiceProperties properties;
  private final FailurePoints failures;
  private final JobMetrics metrics;
  private final JobGroupBy groupByListener;
  private final RemotePartitions remote;
  private final FenceHolding fence;
  private final Map<String, Step> workers = new ConcurrentHashMap<>();

  /**
   * @param remote where partitions run instead of the partition executor (a manager), or null to run them here
   * @param fence the warehouse's partition fence, which every partition execution holds (README "Remote partitioning")
   */
  public JobSteps(JobRepository repository, PlatformTransactionManager transactionManager, TaskExecutor partitionExecutor,
      BatchServiceProperties properties, FailurePoints failures, JobMetrics metrics, JobGroupBy groupByListener, RemotePartitions remote,
      PartitionFence fence) {
    this.repository = repository;
    this.transactionManager = transactionManager;
    this.partitionExecutor = partitionExecutor;
    this.properties = properties;
    this.failures = failures;
    this.metrics = metrics;
    this.groupByListener = groupByListener;
    this.remote = remote;
    this.fence = new FenceHolding(fence);
  }

  /** The worker step called {@code name} (e.g. {@code backfill.compute.partition}), as a partition request names it. */
  @Override
  public Step getStep(String name) {
    Step step = workers.get(name);
    if (step == null) throw new IllegalArgumentException("no worker step " + name + " in this service version (known: " + workers.keySet() + ")");
    return step;
  }

  public JobRepository repository() {
    return repository;
  }

  public FailurePoints failures() {
    return failures;
  }

  public JobMetrics metrics() {
    return metrics;
  }

  public BatchServiceProperties properties() {
    return properties;
  }

  /** A job that records its GroupBy before the first step and counts how it ended. */
  public JobBuilder job(String name) {
    return jobWithoutDefinition(name).listener(groupByListener);
  }

  /**
   * A job that counts how it ended but records no GroupBy definition: for jobs on a version's stored
   * data rather than its definition (purge), whose version may no longer be in the registry.
   */
  public JobBuilder jobWithoutDefinition(String name) {
    return new JobBuilder(name, repository)
        .listener(new JobExecutionListener() {
          @Override
          public void afterJob(JobExecution execution) {
            metrics.jobEnded(name, execution.getStatus().name());
          }
        });
  }

  public Step tasklet(String name, Tasklet tasklet) {
    return new StepBuilder(name, repository).tasklet(tasklet, transactionManager).build();
  }

  /** The name of a job's partitioned step, by convention (the status endpoint finds the partitions by it). */
  public static String computeStep(String job) {
    return job + ".compute";
  }

  /** The worker step's name for a partitioned step called {@code name}. */
  public static String workerName(String name) {
    return name + ".partition";
  }

  /**
   * A partitioned step whose workers are Spring Batch chunk steps: {@code reader} and {@code writer}
   * are step scoped (one per partition execution) and keep their checkpoint in the partition's
   * execution context as {@link PartitionCheckpoint} (ItemStream#update), which the status endpoint
   * reads. {@code chunkSize} items make one chunk: one warehouse transaction, one checkpoint.
   */
  public <T> Step partitionedChunks(String name, Partitioner partitioner, int chunkSize, ItemStreamReader<T> reader,
      ItemWriter<T> writer) {
    Step worker = new StepBuilder(workerName(name), repository).<T, T>chunk(chunkSize)
        .transactionManager(transactionManager)
        .reader(reader)
        .writer(writer)
        .listener(fence)
        .build();
    return partitionStep(name, partitioner, worker);
  }

  /** A partitioned step over the job's key-hash slices whose partitions run {@code task} ({@link PartitionChunkStep}). */
  public Step partitioned(String name, PartitionTask task) {
    return partitioned(name, new KeyHashPartitioner(), task);
  }

  /** A partitioned step whose partitions (each with {@link KeyHashPartitioner}'s keys in its context) run {@code task}. */
  public Step partitioned(String name, Partitioner partitioner, PartitionTask task) {
    Step worker = new PartitionChunkStep(workerName(name), repository, transactionManager, task, properties.chunkEntities(),
        properties.rejects().samples(), failures, metrics, fence);
    return partitionStep(name, partitioner, worker);
  }

  /**
   * A partitioned step whose partitions each run {@code tasklet} once (one transaction): for work that is one
   * statement per partition, such as the lake shuffle's scatter. Its partitions run where the chunk steps' do.
   */
  public Step partitionedTasklet(String name, Partitioner partitioner, Tasklet tasklet) {
    return partitionStep(name, partitioner, tasklet(workerName(name), tasklet));
  }

  /** The manager step: {@code worker} runs once per partition, in parallel on the partition executor or on the workers. */
  private Step partitionStep(String name, Partitioner partitioner, Step worker) {
    workers.put(worker.getName(), worker);
    if (remote != null) {
      return new StepBuilder(name, repository)
          .partitioner(worker.getName(), partitioner)
          .partitionHandler(remote.handler(worker.getName()))
          .build();
    }
    return new StepBuilder(name, repository)
        .partitioner(worker.getName(), partitioner)
        .step(worker)
        .gridSize(properties.effectivePartitions())
        .taskExecutor(partitionExecutor)
        .build();
  }
}
