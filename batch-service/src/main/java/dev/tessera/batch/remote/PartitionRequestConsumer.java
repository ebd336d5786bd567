package dev.tessera.batch.remote;

import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.context.SmartLifecycle;

/**
 * A worker's intake: one consumer of the requests topic in the worker group, which hands each
 * request to a pool of {@code concurrency} threads ({@link PartitionWorker}) and commits the
 * request's offset only once its partition has ended. A topic partition with a request in progress
 * is paused (one request per topic partition at a time, so committing {@code offset + 1} never skips
 * one), and so are all of them while every thread is busy; the consumer keeps polling meanwhile, so
 * a long partition never makes the worker miss {@code max.poll.interval.ms} and lose its membership:
 * membership lasts exactly as long as the process (its heartbeats). When the process is killed, its
 * uncommitted requests go to the remaining members after {@code session-timeout}. A request whose
 * handling failed here (the job repository did not answer) is read again, never committed unrun.
 */
public final class PartitionRequestConsumer implements SmartLifecycle, Runnable {
  private static final Logger log = LoggerFactory.getLogger(PartitionRequestConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  /** How long a request that failed here waits before it is read again. */
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final KafkaClients kafka;
  private final RemoteProperties properties;
  private final PartitionWorker worker;
  private final int concurrency;
  private final Map<TopicPartition, InFlight> inFlight = new HashMap<>();
  private volatile int inFlightCount;
  private volatile Consumer<String, byte[]> consumer;
  private volatile boolean running;
  /** When the loop last polled ({@link System#nanoTime}); the health check reads it. */
  private volatile long lastPoll = System.nanoTime();
  private ExecutorService pool;
  private Thread thread;

  /** A request in hand: its offset, and whether it was dealt with (false: it failed here and is to be read again). */
  private record InFlight(long offset, Future<Boolean> done) {}

  public PartitionRequestConsumer(KafkaClients kafka, RemoteProperties properties, PartitionWorker worker) {
    this.kafka = kafka;
    this.properties = properties;
    this.worker = worker;
    this.concurrency = properties.effectiveConcurrency();
  }

  @Override
  public synchronized void start() {
    // daemon threads: a stopping worker does not wait for its partitions (see stop())
    pool = Executors.newFixedThreadPool(concurrency, r -> Thread.ofPlatform().daemon().name("remote-partition-", 0).unstarted(r));
    running = true;
    thread = Thread.ofPlatform().name("partition-requests").start(this);
    log.info("worker {} takes partition requests from {} (group {}, {} at a time)", properties.workerId(), properties.topic(),
        properties.group(), concurrency);
  }

  @Override
  public void run() {
    consumer = kafka.consumer(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, properties.group(),
        ConsumerConfig.CLIENT_ID_CONFIG, properties.workerId(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis(),
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, properties.sessionTimeout().toMillis() / 4),
        // round robin: consecutive topic partitions (consecutive partitions of a job) go to different workers
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RoundRobinAssignor.class.getName()),
        new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(properties.topic()), new Revocations());
    while (running) {
      try {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) take(r);
        lastPoll = System.nanoTime();
        commitEnded();
        pauseOrResume();
        inFlightCount = inFlight.size();
      } catch (WakeupException stopping) {
        break;
      } catch (RuntimeException e) {
        // never leave the loop while partitions run here: the membership is what keeps others from taking them over
        log.error("partition request consumer: {}; going on", e.toString(), e);
        sleep();
      }
    }
    if (inFlight.values().stream().allMatch(f -> f.done().isDone())) {
      consumer.close();
    } else {
      // Partitions still run here: staying a member (heartbeats) until the process exits keeps the others from taking
      // them over while this process may still write; after the exit, the session timeout hands them on, as after a kill.
      log.warn("stopping with {} partitions running: they are taken over by the other workers once this process has exited",
          inFlight.size());
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void take(ConsumerRecord<String, byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    StepExecutionRequest request;
    try {
      request = PartitionRequests.decode(r.value());
    } catch (RuntimeException e) {
      log.warn("skipping record {} of {}: {}", r.offset(), tp, e.getMessage());
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
      return;
    }
    consumer.pause(List.of(tp));
    inFlight.put(tp, new InFlight(r.offset(), pool.submit(() -> {
      try {
        worker.run(request);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (RuntimeException e) {
        // e.g. the job repository did not answer: the request is read again, never dropped (the partition would never run)
        log.error("partition request {} failed on this worker; it is read again", request, e);
        Thread.sleep(RETRY.toMillis());
        return false;
      }
    })));
  }

  /**
   * Commits the requests whose partitions ended, and rewinds to those that failed here (to read them
   * again); their topic partitions are then resumed.
   */
  private void commitEnded() {
    Map<TopicPartition, OffsetAndMetadata> ended = new HashMap<>();
    Map<TopicPartition, Long> failed = new HashMap<>();
    inFlight.forEach((tp, f) -> {
      if (!f.done().isDone()) return;
      if (f.done().state() == Future.State.SUCCESS && f.done().resultNow()) ended.put(tp, new OffsetAndMetadata(f.offset() + 1));
      else failed.put(tp, f.offset());
    });
    failed.forEach((tp, offset) -> {
      inFlight.remove(tp);
      consumer.seek(tp, offset);
    });
    if (ended.isEmpty()) return;
    ended.keySet().forEach(inFlight::remove);
    try {
      consumer.commitSync(ended);
    } catch (org.apache.kafka.common.KafkaException e) {
      // a rebalance took the topic partition: its new owner gets the request again and finds the partition ended
      log.info("could not commit ended partition requests {}: {}", ended, e.toString());
    }
  }

  private void pauseOrResume() {
    Set<TopicPartition> assigned = consumer.assignment();
    if (inFlight.size() >= concurrency) {
      consumer.pause(assigned);
      return;
    }
    Set<TopicPartition> free = new HashSet<>(assigned);
    free.removeAll(inFlight.keySet());
    free.retainAll(consumer.paused());
    if (!free.isEmpty()) consumer.resume(free);
  }

  /**
   * A topic partition taken away while its request runs here (a worker joined): the partition goes on
   * here, and the new owner of the request waits for it ({@link Takeover}); it commits the offset.
   */
  private final class Revocations implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(inFlight::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }

  @Override
  public synchronized void stop() {
    running = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) c.wakeup();
    try {
      if (thread != null) thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // no shutdownNow: interrupting a partition would end it STOPPED, and the job with it; it is taken over instead
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** How long ago the consumer last polled: a worker whose intake is stuck takes no partitions. */
  public Duration sinceLastPoll() {
    return Duration.ofNanos(System.nanoTime() - lastPoll);
  }

  /** Partitions this worker has taken and not yet acknowledged. */
  public int inFlight() {
    return inFlightCount;
  }
}
