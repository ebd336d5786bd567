package dev.tessera.stream.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of one job: what every job needs on top of the client settings. */
public final class JobStreamsConfig {
  private JobStreamsConfig() {}

  /**
   * @param base client settings (bootstrap servers, security, anything from {@code spring.kafka.*}
   *     and {@code tessera.stream.streams-properties}); the settings below override them
   * @param applicationId one per GroupBy version: instances with the same id share its partitions
   */
  public static Properties of(Map<String, ?> base, String applicationId, Path stateDir, int threads,
      Duration commitInterval, long cacheBytes, SkipAndDeadLetter.Job job) {
    Properties p = new Properties();
    base.forEach((k, v) -> {
      if (v != null) p.put(k, v);
    });
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    // The store, the stream time and the offsets commit together: a replay re-derives the same tiles.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SkipAndDeadLetter.class.getName());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipAndDeadLetter.Deserialization.class.getName());
    p.put(SkipAndDeadLetter.JOB, job);
    // A new job reads its topics from the beginning: tiles older than retention are simply not written.
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    return p;
  }
}
