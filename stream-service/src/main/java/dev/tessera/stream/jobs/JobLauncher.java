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
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/** Builds the job of a GroupBy version: its topology, its Kafka Streams settings, its meters. */
public final class JobLauncher {
  private final Map<String, Object> clientProperties;
  private final StreamProperties props;
  private final TileWriterFactory writers;
  private final MeterRegistry registry;
  private final Clock clock;

  /**
   * @param clientProperties Kafka client settings shared by every job (bootstrap servers,
   *     security); {@code tessera.stream.streams-properties} are applied on top
   */
  public JobLauncher(Map<String, Object> clientProperties, StreamProperties props, TileWriterFactory writers,
      MeterRegistry registry, Clock clock) {
    this.clientProperties = new HashMap<>(clientProperties);
    this.clientProperties.putAll(props.streamsProperties());
    this.props = props;
    this.writers = writers;
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
        () -> new KafkaStreams(TileTopology.build(live, settings, writers, metrics), streamsConfig), clock, onChange);
  }
}
