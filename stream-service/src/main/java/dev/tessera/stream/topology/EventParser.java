package dev.tessera.stream.topology;

import dev.tessera.agg.accept.Acceptance;
import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.stream.deadletter.DeadLetter;
import dev.tessera.stream.deadletter.DeadLetterKind;
import dev.tessera.stream.metrics.JobMetrics;
import java.nio.charset.StandardCharsets;
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
 * reads the topic, a row keyed by its entity or a dead letter. Whether it counts is decided by the
 * acceptance rule of common-agg ({@link Acceptance} and the compiled source: JSON, types, finite
 * numbers, time, null keys, the maximum lead over the record time), the same rule the batch side
 * applies (DESIGN.md "Which events count"). Never throws for a bad record.
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
   *     a record keyed otherwise is forwarded as {@link Parsed.Misrouted}, keyed by
   *     {@link Acceptance#recordKey}, for the topology to send on to its entity's task
   * @param trackTime keep the partition's stream time in {@link TileTopology#SOURCE_TIME} and send it
   *     with every event (before a repartition)
   */
  EventParser(CompiledGroupBy groupBy, int version, String topic, int[] sources, boolean checkKeys,
      boolean trackTime, JobMetrics metrics) {
    this.groupBy = groupBy;
    this.version = version;
    this.topic = topic;
    this.sources = sources;
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
    Map<String, Object> event;
    try {
      event = Acceptance.parseEvent(record.value());
    } catch (Acceptance.Refused e) {
      dead(record, e.getMessage(), e.refusal());
      return;
    }
    for (int source : sources) {
      switch (groupBy.apply(source, event)) {
        case SourceResult.Accepted a -> accept(record, source, a);
        case SourceResult.Filtered f -> metrics.filtered();
        case SourceResult.Rejected r -> dead(record, prefix(source) + r.reason(), r.refusal());
      }
    }
  }

  private void accept(Record<byte[], byte[]> record, int source, SourceResult.Accepted a) {
    long ts = a.row().ts();
    String ahead = Acceptance.aheadOfRecord(ts, record.timestamp());
    if (ahead != null) {
      dead(record, prefix(source) + ahead, Refusal.AHEAD_OF_RECORD_TIME);
      return;
    }
    List<Object> entity = groupBy.keyOf(a.row());
    RecordMetadata md = context.recordMetadata().orElse(null);
    int partition = md == null ? -1 : md.partition();
    RoutedEvent routed = new RoutedEvent(source, partition, md == null ? -1 : md.offset(), a.row(), record.value(),
        trackTime ? advance(partition, ts) : ts);
    if (checkKeys) {
      // The key does not decide whether an event counts (the batch side never sees it): a record keyed
      // otherwise is sent on to the task of its entity, keyed as a well-keyed record would have been.
      byte[] expected = Acceptance.recordKey(entity).getBytes(StandardCharsets.UTF_8);
      if (!Arrays.equals(record.key(), expected)) {
        metrics.rerouted();
        context.forward(record.withKey(expected).withValue(new Parsed.Misrouted(routed)));
        return;
      }
    }
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

  private void dead(Record<byte[], byte[]> record, String reason, Refusal refusal) {
    RecordMetadata md = context.recordMetadata().orElse(null);
    DeadLetter letter = new DeadLetter(DeadLetterKind.MALFORMED, reason, groupBy.name(), version, topic,
        md == null ? -1 : md.partition(), md == null ? -1 : md.offset(), DeadLetter.text(record.key()),
        DeadLetter.text(record.value()), null, null, refusal);
    metrics.refused(refusal);
    context.forward(record.withValue(new Parsed.Dead(letter)));
  }
}
