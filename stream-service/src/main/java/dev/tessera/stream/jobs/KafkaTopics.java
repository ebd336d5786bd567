package dev.tessera.stream.jobs;

import dev.tessera.support.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** What the job manager asks the Kafka cluster: which topics exist, create one, how far behind a job is, how far it caught up. */
public final class KafkaTopics implements AutoCloseable {
  private final Admin admin;
  private final Duration timeout;
  private final Clock clock;

  /** @param admin closed with this */
  public KafkaTopics(Admin admin, Duration timeout, Clock clock) {
    this.admin = admin;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The subset of {@code topics} that does not exist. */
  public List<String> missing(List<String> topics) {
    Set<String> existing = get(admin.listTopics().names());
    return topics.stream().filter(t -> !existing.contains(t)).toList();
  }

  /** Creates the topic unless it exists; {@code partitions} 0 = broker default. */
  public void ensure(String topic, int partitions, Map<String, String> configs) {
    NewTopic t = new NewTopic(topic, partitions > 0 ? Optional.of(partitions) : Optional.empty(), Optional.empty()).configs(configs);
    try {
      admin.createTopics(List.of(t)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw new KafkaUnavailableException("cannot create topic " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted creating topic " + topic, e);
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka did not answer within " + timeout + " creating topic " + topic, e);
    }
    try {
      Topics.awaitReady(admin, topic, timeout);
    } catch (IllegalStateException e) {
      throw new KafkaUnavailableException(e.getMessage(), e);
    }
  }

  /**
   * The partitions of {@code topics} that hold records now (end offset past the start): the source
   * partitions a tiling task's watermark must wait for (TileTopology.build).
   */
  public List<TopicPartition> partitionsWithRecords(List<String> topics) {
    List<TopicPartition> partitions = partitions(topics);
    var starts = offsets(partitions, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
    var ends = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
    return partitions.stream().filter(tp -> ends.get(tp).offset() > starts.get(tp).offset()).toList();
  }

  /** Lag of the consumer group {@code applicationId} on {@code topics}, over all instances. */
  public Lag lag(String applicationId, List<String> topics) {
    List<TopicPartition> partitions = partitions(topics);
    var ends = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, OffsetAndMetadata> committed = committed(applicationId);
    List<Lag.Partition> out = new ArrayList<>();
    long total = 0;
    for (TopicPartition tp : partitions) {
      long end = ends.get(tp).offset();
      OffsetAndMetadata c = committed.get(tp);
      long lag = Math.max(0, end - (c == null ? 0 : c.offset()));
      total += lag;
      out.add(new Lag.Partition(tp.topic(), tp.partition(), c == null ? null : c.offset(), end, lag));
    }
    return new Lag(total, clock.instant(), out);
  }

  /**
   * How far the consumer group {@code applicationId} is towards {@code until} on {@code topics}
   * (which must exist): per partition its committed offset (-1: none yet) and the offset it needs,
   * the first whose record timestamp is at or after {@code until}, or the end offset when no record
   * is that new yet (every record there now is older).
   */
  public List<CatchUpProgress.Partition> catchUp(String applicationId, List<String> topics, Instant until) {
    List<TopicPartition> partitions = partitions(topics);
    var atTime = offsets(partitions, OffsetSpec.forTimestamp(until.toEpochMilli()), IsolationLevel.READ_COMMITTED);
    var ends = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, OffsetAndMetadata> committed = committed(applicationId);
    return partitions.stream().map(tp -> {
      long found = atTime.get(tp).offset();
      OffsetAndMetadata c = committed.get(tp);
      return new CatchUpProgress.Partition(tp.topic(), tp.partition(), c == null ? -1 : c.offset(),
          found >= 0 ? found : ends.get(tp).offset());
    }).toList();
  }

  /** Every partition of {@code topics}, by topic and partition. */
  private List<TopicPartition> partitions(List<String> topics) {
    Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
    List<TopicPartition> partitions = new ArrayList<>();
    described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
    partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    return partitions;
  }

  /**
   * {@code spec} for every partition; READ_COMMITTED as a job's consumer sees them (a transaction's
   * records count once it commits), READ_UNCOMMITTED for what the log holds.
   */
  private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec,
      IsolationLevel isolation) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    return get(admin.listOffsets(request, new ListOffsetsOptions(isolation)).all());
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    return get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
  }

  private <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka did not answer within " + timeout, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
