package dev.tessera.stream.jobs;

import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.stream.sink.TileWriterFactory;
import dev.tessera.stream.system.StreamProperties;
import dev.tessera.stream.topology.JobStreamsConfig;
import dev.tessera.stream.topology.SkipAndDeadLetter;
import dev.tessera.stream.topology.TileTopology;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the job of a GroupBy version: its topology, its Kafka Streams settings, its meters. */
public final class JobLauncher {
  private static final Logger log = LoggerFactory.getLogger(JobLauncher.class);
  private final Map<String, Object> clientProperties;
  private final StreamProperties props;
  private final TileWriterFactory writers;
  private final KafkaTopics topics;
  private final MeterRegistry registry;
  private final Clock clock;

  /**
   * @param clientProperties Kafka client settings shared by every job (bootstrap servers,
   *     security); {@code tessera.stream.streams-properties} are applied on top
   * @param topics asked, whenever a job starts, which source partitions hold records (the watermark waits for them)
   */
  public JobLauncher(Map<String, Object> clientProperties, StreamProperties props, TileWriterFactory writers,
      KafkaTopics topics, MeterRegistry registry, Clock clock) {
    this.clientProperties = new HashMap<>(clientProperties);
    this.clientProperties.putAll(props.streamsProperties());
    this.props = props;
    this.writers = writers;
    this.topics = topics;
    this.registry = registry;
    this.clock = clock;
  }

  StreamingJob create(LiveGroupBy live, Runnable onChange) {
    String appId = props.applicationId(live.name(), live.version());
    TopologySettings settings = props.topologySettings(live.name());
    JobMetrics metrics = new JobMetrics(registry, clock, live.name(), live.version());
    Properties streamsConfig = JobStreamsConfig.of(clientProperties, appId, props.stateDir(), props.threadsPerJob(),
        props.commitInterval(), props.cacheSize().toBytes(),
        new SkipAndDeadLetter.Job(live.name(), live.version(), settings.deadLetterTopic(), metrics));
    return new StreamingJob(live, appId, TileTopology.sourceTopics(live.compiled()), settings.deadLetterTopic(), metrics,
        () -> new KafkaStreams(TileTopology.build(live, settings, writers, metrics, sourcePartitions(live, settings)), streamsConfig),
        clock, onChange);
  }

  /**
   * The source partitions the watermark waits for before it moves (TileTopology.build): those with
   * records when the job starts. Without an answer from Kafka, none: the watermark then waits only
   * for the partitions the task has heard from.
   */
  private List<TopicPartition> sourcePartitions(LiveGroupBy live, TopologySettings settings) {
    if (settings.partitioning() != TopologySettings.Partitioning.REPARTITION) return List.of();
    List<String> sources = TileTopology.sourceTopics(live.compiled());
    try {
      return topics.partitionsWithRecords(sources);
    } catch (KafkaUnavailableException | org.apache.kafka.common.KafkaException e) {
      log.warn("{} v{}: cannot list the partitions of {}; the watermark waits only for partitions heard from: {}",
          live.name(), live.version(), sources, e.getMessage());
      return List.of();
    }
  }
}
