package dev.tessera.registry.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Moves committed outbox records to the registry topic, in id order: sends a batch with an
 * idempotent producer (acks=all), marks the acknowledged prefix sent, and on any failure keeps the
 * rest, backs off (doubling up to a maximum) and tries again with a fresh producer. Nothing is
 * dropped: a record leaves the outbox only after the broker acknowledged it. Only the instance
 * holding the database lease sends, so records of one name are never reordered by two relays.
 *
 * <p>A record Kafka refuses for good ({@link #permanent}: too large for the broker, say) would block
 * every record behind it forever if it were retried like an outage. It is marked failed instead,
 * counted, and the relay goes on; an admin retries or drops it ({@link OutboxAdmin}).
 */
public final class OutboxRelay implements SmartLifecycle, PublicationTracker {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** What the relay is doing, for health and for publish responses. */
  public enum State { STARTING, IDLE, SENDING, FAILING, STANDBY, STOPPED }

  /** A consistent view of the relay for the health endpoint. */
  public record Snapshot(State state, Instant lastSentAt, String lastError, Instant lastErrorAt, Duration nextRetryIn) {}

  private final OutboxRepository outbox;
  private final Supplier<Producer<String, String>> producers;
  private final RegistryTopic topic;
  private final Clock clock;
  private final Settings settings;
  private final String owner = "registry-" + UUID.randomUUID();
  private final Counter sent;
  private final Counter failures;
  private final Counter refused;
  private final Object monitor = new Object();

  private volatile boolean running;
  private volatile boolean wakeUp;
  private volatile State state = State.STOPPED;
  private volatile Instant lastSentAt;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile Instant nextRetryAt;
  private Producer<String, String> producer;
  private boolean topicReady;
  private Thread thread;

  /**
   * @param sendTimeout longest wait for one batch's acknowledgements (the producer's own timeouts
   *     are set below it)
   */
  public record Settings(int batchSize, Duration pollInterval, Duration retryInitial, Duration retryMax, Duration sendTimeout) {
    Duration leaseTtl() {
      return sendTimeout.multipliedBy(3).plusSeconds(10);
    }
  }

  public OutboxRelay(OutboxRepository outbox, Supplier<Producer<String, String>> producers, RegistryTopic topic, Clock clock,
      Settings settings, MeterRegistry meters) {
    this.outbox = outbox;
    this.producers = producers;
    this.topic = topic;
    this.clock = clock;
    this.settings = settings;
    this.sent = Counter.builder("tessera.registry.outbox.sent").description("Outbox records acknowledged by Kafka").register(meters);
    this.failures = Counter.builder("tessera.registry.outbox.send.failures")
        .description("Rounds in which Kafka did not take the pending records (the relay retries)").register(meters);
    this.refused = Counter.builder("tessera.registry.outbox.refused")
        .description("Records Kafka refused for good, marked failed so that the records behind them go on").register(meters);
  }

  @Override
  public void start() {
    synchronized (monitor) {
      if (running) return;
      running = true;
      state = State.STARTING;
      thread = Thread.ofPlatform().daemon().name("registry-outbox-relay").start(this::loop);
    }
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (monitor) {
      running = false;
      monitor.notifyAll();
      t = thread;
    }
    if (t != null) {
      try {
        t.join(settings.sendTimeout().toMillis() + 2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    state = State.STOPPED;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  public Snapshot snapshot() {
    Instant retry = nextRetryAt;
    Duration in = state == State.FAILING && retry != null ? Duration.between(clock.instant(), retry) : null;
    return new Snapshot(state, lastSentAt, lastError, lastErrorAt, in == null || in.isNegative() ? null : in);
  }

  /** Asks the relay to look at the outbox now (after a commit) instead of at its next poll. */
  public void wakeUp() {
    synchronized (monitor) {
      wakeUp = true;
      monitor.notifyAll();
    }
  }

  @Override
  public PublicationState await(Collection<Long> outboxIds, Duration timeout) {
    wakeUp();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (outbox.unsent(outboxIds) == 0) {
        if (outbox.failedAmong(outboxIds) > 0) {
          return new PublicationState(PublicationState.Status.FAILED, outbox.pendingCount(), failedMessage(outboxIds));
        }
        return new PublicationState(PublicationState.Status.SENT, outbox.pendingCount(), null);
      }
      long left = deadline - System.nanoTime();
      // while Kafka is known to be down there is no point in making the caller wait
      if (left <= 0 || state == State.FAILING || !running) break;
      synchronized (monitor) {
        try {
          monitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return new PublicationState(PublicationState.Status.PENDING, outbox.pendingCount(), pendingMessage());
  }

  private String pendingMessage() {
    String base = "Committed, but not yet on topic " + topic.name() + ". It stays in the outbox and the relay sends it as soon as Kafka takes it";
    if (state == State.FAILING && lastError != null) return base + "; Kafka is not taking records right now: " + lastError;
    if (!running) return base + "; the relay is not running";
    return base + ".";
  }

  private String failedMessage(Collection<Long> outboxIds) {
    String error = outbox.failed(Integer.MAX_VALUE).stream().filter(r -> outboxIds.contains(r.id())).map(OutboxRecord::lastError)
        .findFirst().orElse("refused");
    return "Committed, but Kafka refused the record for topic " + topic.name() + " for good (" + error
        + "). It is kept as failed: fix the cause, then retry or drop it (POST /api/v1/outbox/failed/{id}/retry or /drop).";
  }

  private void loop() {
    Duration backoff = settings.retryInitial();
    while (running) {
      try {
        // checked (and repaired) at start, not at the first publish: a wrong policy must show at once
        if (!topicReady) {
          topic.ensure();
          topicReady = true;
        }
        if (!outbox.tryLease(owner, clock.instant(), settings.leaseTtl())) {
          // another registry instance relays; keep watching in case it goes away
          state = State.STANDBY;
          pause(settings.pollInterval(), true);
          continue;
        }
        List<OutboxRecord> batch = outbox.pending(settings.batchSize());
        if (batch.isEmpty()) {
          state = State.IDLE;
          backoff = settings.retryInitial();
          pause(settings.pollInterval(), true);
          continue;
        }
        // FAILING stays until a round succeeds: a retry in progress is not yet a recovery
        if (state != State.FAILING) state = State.SENDING;
        send(batch);
        state = State.SENDING;
        lastError = null;
        nextRetryAt = null;
        backoff = settings.retryInitial();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        failures.increment();
        state = State.FAILING;
        lastError = describe(e);
        lastErrorAt = clock.instant();
        nextRetryAt = lastErrorAt.plus(backoff);
        log.warn("Registry outbox: could not publish to {} ({}); retrying in {} ms", topic.name(), lastError, backoff.toMillis());
        closeProducer();
        topicReady = false;
        signalWaiters();
        try {
          pause(backoff, false);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff = min(backoff.multipliedBy(2), settings.retryMax());
      }
    }
    closeProducer();
    try {
      outbox.releaseLease(owner);
    } catch (RuntimeException e) {
      log.debug("could not release the outbox lease at shutdown: {}", e.toString());
    }
    state = State.STOPPED;
  }

  /**
   * Sends the batch and waits for each acknowledgement in order; marks the acknowledged prefix as
   * sent even when a later record fails, so that a retry starts exactly where this round stopped.
   * A record refused for good is marked failed and passed over; the others go on.
   */
  private void send(List<OutboxRecord> batch) throws Exception {
    Producer<String, String> p = producer();
    List<Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
    List<Long> acked = new ArrayList<>(batch.size());
    boolean refusedAny = false;
    int i = 0;
    try {
      for (OutboxRecord r : batch) futures.add(p.send(new ProducerRecord<>(r.topic(), r.key(), r.payload())));
      long deadline = System.nanoTime() + settings.sendTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
      for (; i < futures.size(); i++) {
        try {
          futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          acked.add(batch.get(i).id());
        } catch (ExecutionException e) {
          if (!permanent(e.getCause())) throw e;
          refuse(batch.get(i), e);
          refusedAny = true;
        }
      }
    } catch (Exception e) {
      markSent(acked);
      if (i < batch.size()) outbox.recordFailure(batch.get(i).id(), describe(e));
      throw e;
    }
    markSent(acked);
    // a producer that had a batch refused may carry state from it; the next round starts afresh
    if (refusedAny) closeProducer();
  }

  private void refuse(OutboxRecord r, Exception e) {
    String error = describe(e);
    outbox.markFailed(r.id(), error, clock.instant());
    refused.increment();
    log.error("Registry outbox: Kafka refused record {} (key {}, {} bytes) for good: {}. It is marked failed; the records behind it"
        + " go on. Retry or drop it: POST /api/v1/outbox/failed/{}/retry or /drop", r.id(), r.key(), r.bytes(), error, r.id());
    signalWaiters();
  }

  /**
   * Errors that sending the same record again can never fix: it is too large for the producer or
   * the broker, or Kafka finds it malformed. An outage, a timeout or missing rights are not among
   * them: those hold for every record, and the relay waits them out.
   */
  static boolean permanent(Throwable t) {
    return t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException || t instanceof InvalidRecordException
        || t instanceof SerializationException;
  }

  private void markSent(List<Long> ids) {
    if (ids.isEmpty()) return;
    Instant now = clock.instant();
    outbox.markSent(ids, now);
    sent.increment(ids.size());
    lastSentAt = now;
    signalWaiters();
  }

  private Producer<String, String> producer() {
    if (producer == null) producer = producers.get();
    return producer;
  }

  /** A producer that failed may be stuck on a broken connection or sequence: start over with a new one. */
  private void closeProducer() {
    if (producer == null) return;
    try {
      producer.close(Duration.ofSeconds(1));
    } catch (RuntimeException e) {
      log.debug("closing the failed producer: {}", e.toString());
    }
    producer = null;
  }

  private void signalWaiters() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** Waits {@code d}, or less when woken (a new commit) and {@code wakeable}. */
  private void pause(Duration d, boolean wakeable) throws InterruptedException {
    long until = System.nanoTime() + d.toNanos();
    synchronized (monitor) {
      while (running) {
        if (wakeable && wakeUp) {
          wakeUp = false;
          return;
        }
        long left = until - System.nanoTime();
        if (left <= 0) return;
        monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static String describe(Throwable e) {
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  @Override
  public int getPhase() {
    // stop after the web server stopped taking requests, before the DataSource closes
    return SmartLifecycle.DEFAULT_PHASE - 1000;
  }
}
