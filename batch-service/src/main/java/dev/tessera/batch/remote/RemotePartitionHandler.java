package dev.tessera.batch.remote;

import dev.tessera.batch.jobs.StalePartitions;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;

/**
 * A manager's partitioned step: Spring Batch's {@link MessageChannelPartitionHandler} sends the
 * requests (through {@link PartitionRequestChannel}) and polls the shared job repository until every
 * partition has ended; this adds what it lacks so that a job never waits forever:
 *
 * <ul>
 *   <li>no request is sent while no worker is alive (the job fails at once, saying so);
 *   <li>while it waits, a watch asks the worker group every poll interval; when no worker has been
 *       alive for {@code noWorkerTimeout}, it interrupts the wait and the step fails with that reason;
 *   <li>the wait as a whole is bounded by {@code timeout}.
 * </ul>
 *
 * A worker that dies while others live needs nothing here: Kafka hands its request to another
 * worker, which takes the partition over ({@link Takeover}), and the poll sees it end.
 */
public final class RemotePartitionHandler implements PartitionHandler {
  private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

  private final MessageChannelPartitionHandler delegate;
  private final String workerStep;
  private final JobRepository repository;
  private final WorkerGroup workers;
  private final Duration timeout;
  private final Duration noWorkerTimeout;
  private final Duration pollInterval;
  private final ScheduledExecutorService watches;

  public RemotePartitionHandler(MessageChannelPartitionHandler delegate, String workerStep, JobRepository repository, WorkerGroup workers,
      RemoteProperties p, ScheduledExecutorService watches) {
    this.delegate = delegate;
    this.workerStep = workerStep;
    this.repository = repository;
    this.workers = workers;
    this.timeout = p.timeout();
    this.noWorkerTimeout = p.noWorkerTimeout();
    this.pollInterval = p.pollInterval();
    this.watches = watches;
  }

  /** One scheduler for every step's watch (a watch is a short look every poll interval). */
  public static ScheduledExecutorService watches() {
    return Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("worker-watch").unstarted(r));
  }

  @Override
  public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution manager) throws Exception {
    if (workers.live().isEmpty()) {
      throw new NoWorkerException("no batch worker is running: the worker group " + workers.name()
          + " has no member, so no partition of " + manager.getStepName() + " can run (start workers with tessera.batch.remote.role=worker)");
    }
    Thread waiting = Thread.currentThread();
    AtomicBoolean gaveUp = new AtomicBoolean();
    AtomicLong lastSeen = new AtomicLong(System.nanoTime());
    ScheduledFuture<?> watch = watches.scheduleWithFixedDelay(() -> {
      try {
        if (!workers.live().isEmpty()) lastSeen.set(System.nanoTime());
      } catch (RuntimeException e) {
        log.warn("cannot tell which workers are alive: {}", e.getMessage());
      }
      if (System.nanoTime() - lastSeen.get() > noWorkerTimeout.toNanos() && gaveUp.compareAndSet(false, true)) waiting.interrupt();
    }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return delegate.handle(splitter, manager);
    } catch (InterruptedException e) {
      if (!gaveUp.get()) throw e;
      failUnclaimed(manager);
      throw new NoWorkerException("no batch worker has been alive for " + noWorkerTimeout + " (worker group " + workers.name()
          + ") while partitions of " + manager.getStepName() + " were unfinished; restart the job once workers run");
    } catch (TimeoutException e) {
      throw new TimeoutException("the partitions of " + manager.getStepName() + " did not all end within tessera.batch.remote.timeout ("
          + timeout + ")");
    } finally {
      watch.cancel(false);
      if (gaveUp.get()) Thread.interrupted();
    }
  }

  /**
   * The partitions of this step execution that no worker claimed, marked FAILED (no worker is alive to
   * claim one meanwhile): the job view shows them failed, not STARTING, and a worker that later reads
   * their requests finds them ended.
   */
  private void failUnclaimed(StepExecution manager) {
    for (StepExecution s : repository.getJobExecution(manager.getJobExecutionId()).getStepExecutions()) {
      if (s.getStepName().startsWith(workerStep + ":") && s.getStatus() == BatchStatus.STARTING
          && Takeover.holder(s.getExecutionContext(), s.getId()) == null) {
        StalePartitions.fail(repository, s, "no worker took it before the manager gave up (no worker alive)");
      }
    }
  }

  /** The job cannot go on: no worker process takes its partitions. */
  public static final class NoWorkerException extends IllegalStateException {
    public NoWorkerException(String message) {
      super(message);
    }
  }
}
