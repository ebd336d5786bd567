package dev.tessera.stream.it;

import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.stream.topology.JobStreamsConfig;
import dev.tessera.stream.topology.SkipAndDeadLetter;
import dev.tessera.stream.topology.TileTopology;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.kafka.KafkaClients;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/** A tiling job as a bare Kafka Streams client (what StreamingJob runs), for tests below the REST API. */
public final class JobRunner implements AutoCloseable {
  public final KafkaStreams streams;
  public final JobMetrics metrics;
  private final RedisTileWriterFactory writers;

  public JobRunner(String bootstrap, LiveGroupBy live, TopologySettings settings, String applicationId, Path stateDir,
      Map<String, Object> extra) {
    this(bootstrap, live, settings, applicationId, stateDir, extra, KafkaRedis.REDIS_URI, Duration.ofSeconds(10));
  }

  public JobRunner(String bootstrap, LiveGroupBy live, TopologySettings settings, String applicationId, Path stateDir,
      Map<String, Object> extra, String redisUri, Duration redisTimeout) {
    this(bootstrap, live, settings, applicationId, stateDir, extra, new RedisTileWriterFactory(RedisURI.create(redisUri), redisTimeout));
  }

  /** A job writing through {@code writers} (closed with the job). */
  public JobRunner(String bootstrap, LiveGroupBy live, TopologySettings settings, String applicationId, Path stateDir,
      Map<String, Object> extra, RedisTileWriterFactory writers) {
    metrics = new JobMetrics(new SimpleMeterRegistry(), Clock.systemUTC(), live.name(), live.version());
    this.writers = writers;
    Map<String, Object> base = new HashMap<>();
    base.put("bootstrap.servers", bootstrap);
    base.putAll(extra);
    Properties props = JobStreamsConfig.of(base, applicationId, stateDir, 1, Duration.ofMillis(100), 10 * 1024 * 1024,
        new SkipAndDeadLetter.Job(live.name(), live.version(), settings.deadLetterTopic(), metrics));
    streams = new KafkaStreams(TileTopology.build(live, settings, writers, metrics, sourcePartitions(bootstrap, live, settings)), props);
    streams.start();
  }

  /** What JobLauncher passes: the source partitions with records (with a repartition). */
  public static java.util.List<org.apache.kafka.common.TopicPartition> sourcePartitions(String bootstrap, LiveGroupBy live,
      TopologySettings settings) {
    if (settings.partitioning() != TopologySettings.Partitioning.REPARTITION) return java.util.List.of();
    try (var topics = new dev.tessera.stream.jobs.KafkaTopics(KafkaClients.plaintext(bootstrap).admin(Map.of()), Duration.ofSeconds(10), Clock.systemUTC())) {
      return topics.partitionsWithRecords(TileTopology.sourceTopics(live.compiled()));
    }
  }

  public boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** Active tasks of this instance, e.g. {@code [0_1, 1_1]}. */
  public java.util.Set<String> tasks() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(a -> out.add(a.taskId().toString())));
    return out;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    writers.close();
  }
}
