package dev.tessera.stream.topology;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.stream.deadletter.DeadLetter;
import dev.tessera.stream.deadletter.DeadLetterKind;
import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.agg.codec.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The source side of a job: one JSON record of a source topic becomes, per GroupBy source that
 * reads the topic, a row keyed by its entity (through the compiled source: wheres, selects, time,
 * key check) or a dead letter. Never throws for a bad record.
 *
 * <p>Before a repartition it also keeps the stream time of its source partition (the newest event
 * time accepted from it, in a changelogged store so that a replay carries the same times) and sends
 * it along with every event: the owning task's {@link Watermark} is made of these.
 */
final class EventParser implements Processor<byte[], byte[], byte[], Parsed> {
  private final CompiledGroupBy groupBy;
  private final int version;
  private final String topic;
  private final int[] sources;
  private final long maxClockSkew;
  private final boolean checkKeys;
  private final JobMetrics metrics;
  private final boolean trackTime;
  private ProcessorContext<byte[], Parsed> context;
  private KeyValueStore<String, Long> times;
  /** The partition whose stream time is {@link #partitionTime} (a task reads one partition of a topic). */
  private int timedPartition = -1;
  private String timeKey;
  private long partitionTime = Long.MIN_VALUE;

  /**
   * @param checkKeys the job relies on the source topic being keyed by entity (no repartition):
   *     a record keyed otherwise is dead-lettered rather than tiled in the wrong task
   * @param trackTime keep the partition's stream time in {@link TileTopology#SOURCE_TIME} and send it
   *     with every event (before a repartition)
   */
  EventParser(CompiledGroupBy groupBy, int version, String topic, int[] sources, long maxClockSkew, boolean checkKeys,
      boolean trackTime, JobMetrics metrics) {
    this.groupBy = groupBy;
    this.version = version;
    this.topic = topic;
    this.sources = sources;
    this.maxClockSkew = maxClockSkew;
    this.checkKeys = checkKeys;
    this.trackTime = trackTime;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], Parsed> context) {
    this.context = context;
    if (trackTime) times = context.getStateStore(TileTopology.SOURCE_TIME);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.in();
    byte[] value = record.value();
    if (value == null) {
      dead(record, "no value (a tombstone or an empty record)");
      return;
    }
    Map<String, Object> event;
    try {
      event = JsonEvents.parse(value);
    } catch (JsonEvents.NotAnEvent e) {
      dead(record, e.getMessage());
      return;
    }
    for (int source : sources) {
      switch (groupBy.apply(source, event)) {
        case SourceResult.Accepted a -> accept(record, source, a);
        case SourceResult.Filtered f -> metrics.filtered();
        case SourceResult.Rejected r -> dead(record, prefix(source) + r.reason());
      }
    }
  }

  private void accept(Record<byte[], byte[]> record, int source, SourceResult.Accepted a) {
    long ts = a.row().ts();
    // A record timestamp of 0 or less is unset (or set by hand): there is nothing to compare with.
    if (record.timestamp() > 0 && ts - maxClockSkew > record.timestamp()) {
      dead(record, prefix(source) + "event time " + Instant.ofEpochMilli(ts) + " is more than " + maxClockSkew
          + " ms ahead of the record's timestamp " + Instant.ofEpochMilli(record.timestamp())
          + " (a wrong time column or clock): it would make every later event late");
      return;
    }
    List<Object> entity = groupBy.keyOf(a.row());
    if (checkKeys) {
      String expected = entity.size() == 1 ? String.valueOf(entity.getFirst()) : RedisKeys.encodeEntity(entity);
      if (!Arrays.equals(record.key(), expected.getBytes(StandardCharsets.UTF_8))) {
        dead(record, prefix(source) + "the record key " + (record.key() == null ? "null" : "'" + DeadLetter.text(record.key()) + "'")
            + " is not the entity key '" + expected + "': with partitioning 'source' the topic must be keyed by the entity key");
        return;
      }
    }
    RecordMetadata md = context.recordMetadata().orElse(null);
    int partition = md == null ? -1 : md.partition();
    RoutedEvent routed = new RoutedEvent(source, partition, md == null ? -1 : md.offset(), a.row(), record.value(),
        trackTime ? advance(partition, ts) : ts);
    context.forward(record.withKey(EntityKey.encode(entity)).withValue(new Parsed.Event(routed)));
  }

  /** The partition's stream time with an event at {@code ts} accepted from it. */
  private long advance(int partition, long ts) {
    if (partition != timedPartition) {
      timeKey = topic + "/" + partition;
      Long stored = times.get(timeKey);
      partitionTime = stored == null ? Long.MIN_VALUE : stored;
      timedPartition = partition;
    }
    if (ts > partitionTime) {
      partitionTime = ts;
      times.put(timeKey, ts);
    }
    return partitionTime;
  }

  private String prefix(int source) {
    return groupBy.sources().size() == 1 ? "" : "source " + source + ": ";
  }

  private void dead(Record<byte[], byte[]> record, String reason) {
    RecordMetadata md = context.recordMetadata().orElse(null);
    DeadLetter letter = new DeadLetter(DeadLetterKind.MALFORMED, reason, groupBy.name(), version, topic,
        md == null ? -1 : md.partition(), md == null ? -1 : md.offset(), DeadLetter.text(record.key()),
        DeadLetter.text(record.value()), null, null);
    metrics.deadLettered(DeadLetterKind.MALFORMED);
    context.forward(record.withValue(new Parsed.Dead(letter)));
  }
}
