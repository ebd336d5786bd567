package dev.tessera.stream.metrics;

import dev.tessera.agg.accept.Refusal;
import dev.tessera.stream.deadletter.DeadLetterKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The meters of one streaming job (one GroupBy version), tagged {@code groupBy} and
 * {@code version}. Counted from the Kafka Streams threads (Micrometer meters are thread-safe) and
 * read by the REST status. Counts are this instance's: with several instances sharing a job, sum
 * them in Prometheus.
 */
public final class JobMetrics implements AutoCloseable {
  public static final String PREFIX = "tessera.stream.";
  /**
   * A job's tag keys with no job: the tags of the service's own Kafka clients (registry follower,
   * job records, admin). Their {@code kafka_consumer_*} and {@code kafka_producer_*} meters share
   * names with the jobs' Kafka Streams clients, and Micrometer keeps one set of tag keys per name.
   */
  public static final Tags NO_JOB = Tags.of("groupBy", "", "version", "");

  private final MeterRegistry registry;
  private final Clock clock;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter in, applied, filtered, late, tilesWritten, tilesTrimmed, writeFailures, processingErrors;
  private final Map<DeadLetterKind, Counter> deadLettered = new EnumMap<>(DeadLetterKind.class);
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final Counter rerouted;
  private final Timer writeLatency;
  private final AtomicLong newestFlushedEventTime = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong lag = new AtomicLong(-1);
  private final Tags tags;
  private KafkaStreamsMetrics clientMetrics;

  public JobMetrics(MeterRegistry registry, Clock clock, String groupBy, int version) {
    this.registry = registry;
    this.clock = clock;
    tags = Tags.of("groupBy", groupBy, "version", Integer.toString(version));
    in = counter("events.in", "Events read from the source topics", tags);
    applied = counter("events.applied", "Events applied to a tile", tags);
    filtered = counter("events.filtered", "Events a where clause filtered out (not an error)", tags);
    late = counter("events.late", "Events later than tile end + allowedLateness (also dead-lettered)", tags);
    for (DeadLetterKind kind : DeadLetterKind.values()) {
      deadLettered.put(kind, counter("events.deadlettered", "Events sent to the dead-letter topic, by kind",
          tags.and("kind", kind.label())));
    }
    for (Refusal reason : Refusal.values()) {
      refused.put(reason, counter("events.refused", "Events the acceptance rule refused (dead-lettered as malformed), by reason;"
          + " the batch side counts the same reasons", tags.and("reason", reason.tag())));
    }
    rerouted = counter("events.rerouted", "Events whose record key was not their entity's (partitioning=source): sent on to"
        + " their entity's task through the internal topic", tags);
    tilesWritten = counter("tiles.written", "Tiles written whole to Redis", tags);
    tilesTrimmed = counter("tiles.trimmed", "Tiles deleted from Redis because no fetch can need them any more", tags);
    writeFailures = counter("tiles.write.failures", "Redis flushes that failed (retried at the next flush)", tags);
    processingErrors = counter("processing.errors", "Records skipped by the Kafka Streams exception handlers", tags);
    writeLatency = register(Timer.builder(PREFIX + "tiles.write.latency")
        .description("Time of one pipelined flush of dirty tiles to Redis").tags(tags)
        .publishPercentiles(0.5, 0.99).register(registry));
    register(Gauge.builder(PREFIX + "freshness", this, m -> m.freshnessSeconds())
        .description("Now minus the newest event time written to Redis, seconds (NaN before the first)")
        .baseUnit("seconds").tags(tags).register(registry));
    register(Gauge.builder(PREFIX + "consumer.lag", lag, l -> l.get() < 0 ? Double.NaN : l.get())
        .description("Records of the source topics not yet processed (all instances)").tags(tags).register(registry));
  }

  private Counter counter(String name, String description, Tags tags) {
    return register(Counter.builder(PREFIX + name).description(description).tags(tags).register(registry));
  }

  private <M extends Meter> M register(M meter) {
    meters.add(meter);
    return meter;
  }

  public void in() {
    in.increment();
  }

  public void applied() {
    applied.increment();
  }

  public void filtered() {
    filtered.increment();
  }

  public void deadLettered(DeadLetterKind kind) {
    if (kind == DeadLetterKind.LATE) late.increment();
    deadLettered.get(kind).increment();
  }

  /** The acceptance rule refused an event: it is dead-lettered as malformed. */
  public void refused(Refusal reason) {
    refused.get(reason).increment();
    deadLettered.get(DeadLetterKind.MALFORMED).increment();
  }

  public void rerouted() {
    rerouted.increment();
  }

  public void processingError() {
    processingErrors.increment();
    deadLettered.get(DeadLetterKind.ERROR).increment();
  }

  /** A flush of {@code tiles} tiles and {@code trimmed} trimmed fields took {@code nanos}. */
  public void flushed(int tiles, long trimmed, long nanos, long newestEventTime) {
    tilesWritten.increment(tiles);
    tilesTrimmed.increment(trimmed);
    writeLatency.record(nanos, TimeUnit.NANOSECONDS);
    newestFlushedEventTime.accumulateAndGet(newestEventTime, Math::max);
  }

  public void trimmed(long fields) {
    tilesTrimmed.increment(fields);
  }

  public void writeFailed() {
    writeFailures.increment();
  }

  public void lag(long records) {
    lag.set(records);
  }

  public double freshnessSeconds() {
    long newest = newestFlushedEventTime.get();
    return newest == Long.MIN_VALUE ? Double.NaN : (clock.millis() - newest) / 1000.0;
  }

  public Long newestEventTime() {
    long newest = newestFlushedEventTime.get();
    return newest == Long.MIN_VALUE ? null : newest;
  }

  public Snapshot snapshot() {
    Map<String, Long> dead = new java.util.LinkedHashMap<>();
    deadLettered.forEach((k, c) -> dead.put(k.label(), (long) c.count()));
    Map<String, Long> refusedBy = new java.util.LinkedHashMap<>();
    refused.forEach((k, c) -> {
      if (c.count() > 0) refusedBy.put(k.tag(), (long) c.count());
    });
    return new Snapshot((long) in.count(), (long) applied.count(), (long) filtered.count(), (long) late.count(), dead,
        (long) tilesWritten.count(), (long) tilesTrimmed.count(), (long) writeFailures.count(), (long) processingErrors.count(),
        refusedBy, (long) rerouted.count());
  }

  /** Counts since this instance started the job; {@code refused} by reason (only reasons seen). */
  public record Snapshot(long in, long applied, long filtered, long late, Map<String, Long> deadLettered,
      long tilesWritten, long tilesTrimmed, long writeFailures, long processingErrors, Map<String, Long> refused, long rerouted) {}

  /**
   * Exports the Kafka Streams client's own metrics (and those of its consumers and producers:
   * {@code kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*}) tagged with the
   * job, replacing those of the client it had before (a restarted client is a new one).
   */
  public synchronized void bindClient(KafkaStreams streams) {
    unbindClient();
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, tags);
    binder.bindTo(registry);
    clientMetrics = binder;
  }

  private synchronized void unbindClient() {
    if (clientMetrics != null) clientMetrics.close();
    clientMetrics = null;
  }

  /** Removes this job's meters from the registry (the counts stay readable here). */
  @Override
  public void close() {
    meters.forEach(registry::remove);
    unbindClient();
  }
}
