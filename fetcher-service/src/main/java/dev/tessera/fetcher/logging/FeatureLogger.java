package dev.tessera.fetcher.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampled, asynchronous feature log. A fetch only decides whether to sample a result and, if
 * so, offers it to a bounded queue without waiting: when the queue is full the record is dropped
 * and counted, so logging never slows or fails a fetch. One background thread hands queued records
 * to the sink (Kafka); a sink that blocks or fails only fills the queue.
 *
 * <p>Metrics: {@code tessera.feature_log.sent}, {@code tessera.feature_log.dropped{reason=queue_full|send_failed}},
 * {@code tessera.feature_log.queue} (records waiting).
 */
public final class FeatureLogger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeatureLogger.class);

  private final double sampleRate;
  private final DoubleSupplier random;
  private final BlockingQueue<FeatureLogEntry> queue;
  private final FeatureLogSink sink;
  private final Counter sent;
  private final Counter queueFull;
  private final Counter sendFailed;
  private final Thread drainer;
  private volatile boolean running = true;

  /**
   * @param sampleRate share of results to log, 0 to 1; at 0 nothing is started
   * @param random uniform numbers in [0, 1) for sampling
   */
  public FeatureLogger(double sampleRate, int capacity, FeatureLogSink sink, DoubleSupplier random, MeterRegistry meters) {
    this.sampleRate = sampleRate;
    this.random = random;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.sink = sink;
    this.sent = Counter.builder("tessera.feature_log.sent").description("feature log records stored in Kafka").register(meters);
    this.queueFull = dropped(meters, "queue_full");
    this.sendFailed = dropped(meters, "send_failed");
    Gauge.builder("tessera.feature_log.queue", queue, BlockingQueue::size).description("feature log records waiting to be sent").register(meters);
    this.drainer = sampleRate > 0 ? Thread.ofPlatform().daemon().name("feature-log").start(this::drain) : null;
  }

  private static Counter dropped(MeterRegistry meters, String reason) {
    return Counter.builder("tessera.feature_log.dropped").tag("reason", reason)
        .description("feature log records not stored (the fetch was served all the same)").register(meters);
  }

  public boolean enabled() {
    return sampleRate > 0;
  }

  /** Whether to log the next result: cheap, and always false when the log is off. */
  public boolean sample() {
    return sampleRate > 0 && (sampleRate >= 1 || random.getAsDouble() < sampleRate);
  }

  /** Queues a record without waiting; drops and counts it when the queue is full. */
  public void offer(FeatureLogEntry record) {
    if (!running || !queue.offer(record)) queueFull.increment();
  }

  private final FeatureLogSink.Callback callback = new FeatureLogSink.Callback() {
    @Override
    public void sent() {
      sent.increment();
    }

    @Override
    public void failed(Exception e) {
      sendFailed.increment();
      log.debug("feature log record not stored: {}", e.toString());
    }
  };

  private void drain() {
    while (running || !queue.isEmpty()) {
      FeatureLogEntry r;
      try {
        r = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (!running) break;
        continue;
      }
      if (r == null) continue;
      try {
        sink.send(r, callback);
      } catch (RuntimeException e) {
        callback.failed(e);
      }
    }
  }

  /** Stops taking records, sends what is queued (waiting up to 5 s) and closes the sink. */
  @Override
  public void close() {
    running = false;
    if (drainer != null) {
      try {
        drainer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int left = queue.size();
      if (left > 0) {
        log.warn("{} feature log records not sent at shutdown", left);
        for (int i = 0; i < left; i++) queueFull.increment();
      }
    }
    sink.close();
  }
}
