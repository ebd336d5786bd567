package dev.tessera.stream.topology;

import dev.tessera.stream.deadletter.DeadLetter;
import dev.tessera.stream.deadletter.DeadLetterKind;
import dev.tessera.stream.metrics.JobMetrics;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backstop behind the processors (which dead-letter bad events themselves): a record whose
 * processing throws anyway is logged, counted and dead-lettered as {@code kind: error}, and the
 * job goes on. A job never dies on one record. {@link Deserialization} does the same for a record
 * of the repartition topic that does not decode.
 */
public final class SkipAndDeadLetter implements ProcessingExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(SkipAndDeadLetter.class);
  /** Config key of the {@link Job} the handlers report for (an object, not a string). */
  public static final String JOB = "tessera.job.error-context";

  /** Who the handlers report for. */
  public record Job(String groupBy, int version, String deadLetterTopic, JobMetrics metrics) {
    public Job {
      Objects.requireNonNull(groupBy);
      Objects.requireNonNull(deadLetterTopic);
      Objects.requireNonNull(metrics);
    }
  }

  private Job job;

  @Override
  public void configure(Map<String, ?> configs) {
    job = (Job) configs.get(JOB);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return Response.resume(letters(job, context, "processing failed in " + context.processorNodeId(), exception,
        context.sourceRawValue()));
  }

  /** The deserialization backstop. */
  public static final class Deserialization implements DeserializationExceptionHandler {
    private Job job;

    @Override
    public void configure(Map<String, ?> configs) {
      job = (Job) configs.get(JOB);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      return Response.resume(letters(job, context, "cannot deserialize the record", exception, record.value()));
    }
  }

  static List<ProducerRecord<byte[], byte[]>> letters(Job job, ErrorHandlerContext context, String what, Exception e, byte[] raw) {
    log.warn("skipping the record at {}-{}@{}: {}: {}", context.topic(), context.partition(), context.offset(), what, e.toString(), e);
    if (job == null) return List.of();
    job.metrics().processingError();
    DeadLetter letter = new DeadLetter(DeadLetterKind.ERROR, what + ": " + e, job.groupBy(), job.version(), context.topic(),
        context.partition(), context.offset(), null, eventText(context.topic(), raw), null, null);
    return List.of(new ProducerRecord<>(job.deadLetterTopic(), null, context.timestamp(), null, letter.toJsonBytes()));
  }

  /** The raw event: on the repartition topic it is inside the routed event, if that still decodes. */
  private static String eventText(String topic, byte[] raw) {
    if (raw == null) return null;
    if (topic != null && topic.endsWith(TileTopology.REPARTITION + "-repartition")) {
      try {
        return DeadLetter.text(RoutedEvent.decode(raw).raw());
      } catch (RuntimeException unreadable) {
        return Base64.getEncoder().encodeToString(raw);
      }
    }
    return DeadLetter.text(raw);
  }
}
