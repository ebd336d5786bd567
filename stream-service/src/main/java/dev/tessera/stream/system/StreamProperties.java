package dev.tessera.stream.system;

import dev.tessera.stream.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The stream-service settings ({@code tessera.stream.*}, or {@code TESSERA_STREAM_*} in the
 * environment). Checked when the service starts: a bad value stops it with the property's name.
 * Kafka and Redis connections come from {@code spring.kafka.*} and {@code spring.data.redis.*}.
 *
 * @param registryTopic the compacted topic the registry publishes GroupBy versions to
 * @param jobsTopic the compacted topic that records which jobs were started or stopped through the
 *     API, so that jobs come back after a restart and every instance runs the same jobs
 * @param autoStart start a job for every online GroupBy without being asked (a job stopped
 *     through the API stays stopped)
 * @param stateDir where Kafka Streams keeps local state (RocksDB), one directory per job
 * @param applicationIdPrefix a job's application id is {@code <prefix><groupBy>-v<version>}
 * @param deadLetterTopicPrefix a GroupBy's dead-letter topic is {@code <prefix><groupBy>}
 * @param deadLetterPartitions partitions of a dead-letter topic the service creates (broker default when 0)
 * @param threadsPerJob Kafka Streams threads per job on this instance
 * @param commitInterval how often a job commits (exactly-once). With {@code repartition}, events
 *     reach the tile task only after the source task commits, so this is part of freshness (default
 *     100 ms); with {@code source} it is not, and a longer one saves transactions (default 1 s)
 * @param cacheSize the Kafka Streams record cache per job (dedups tile updates between commits)
 * @param flushInterval how often dirty tiles are written to Redis
 * @param uploadCheckInterval how often the upload marker is read from Redis
 * @param tileRetention minimum age of tiles kept in Redis; at least 2 days (DESIGN.md)
 * @param maxTileRetention tiles are never kept longer (bounds Redis memory when uploads stop)
 * @param expireMargin added to the retention for the expiry of idle entities' tile hashes
 * @param sweepInterval how often a task deletes the hashes of entities idle beyond retention
 * @param stores RocksDB or in-memory state stores (both changelogged)
 * @param partitioning {@code repartition} (default: an internal topic keyed by entity) or {@code source}
 *     (the source topics are keyed by the entity key already: half the work per event)
 * @param redisTimeout the longest a flush to Redis may take before it is retried
 * @param tilesHashTables keep every tiles hash with hour rollups a hash table, whatever the server's
 *     listpack limits (default true: the fetcher then reads hour rollups, not every tile; false leaves
 *     the encoding to the server, which on its defaults saves about 40% of Redis memory per entity
 *     with a day of tiles and reads them whole; docs/benchmarks.md "Hour rollups")
 * @param reconcileInterval how often jobs are compared with the registry and the job records
 * @param lagInterval how often consumer lag is measured
 * @param streamsProperties extra Kafka Streams / client properties for every job (they win)
 */
@ConfigurationProperties("tessera.stream")
public record StreamProperties(String registryTopic, String jobsTopic, Boolean autoStart, Path stateDir,
    String applicationIdPrefix, String deadLetterTopicPrefix, Integer deadLetterPartitions, Integer threadsPerJob,
    Duration commitInterval, DataSize cacheSize, Duration flushInterval, Duration uploadCheckInterval,
    Duration tileRetention, Duration maxTileRetention, Duration expireMargin,
    Duration sweepInterval, TopologySettings.StoreKind stores, TopologySettings.Partitioning partitioning, Duration redisTimeout, Boolean tilesHashTables, Duration reconcileInterval,
    Duration lagInterval, Map<String, String> streamsProperties) {

  static final String P = "tessera.stream.";

  public StreamProperties {
    registryTopic = text(registryTopic, "tessera.registry", "registry-topic");
    jobsTopic = text(jobsTopic, "tessera.stream.jobs", "jobs-topic");
    autoStart = autoStart != null && autoStart;
    stateDir = stateDir != null ? stateDir : Path.of(System.getProperty("java.io.tmpdir"), "tessera-stream");
    applicationIdPrefix = text(applicationIdPrefix, "tessera-stream-", "application-id-prefix");
    deadLetterTopicPrefix = text(deadLetterTopicPrefix, "tessera.deadletter.", "dead-letter-topic-prefix");
    deadLetterPartitions = deadLetterPartitions == null ? 0 : deadLetterPartitions;
    check(deadLetterPartitions >= 0, "dead-letter-partitions", "must be >= 0 (0 = broker default)", deadLetterPartitions);
    threadsPerJob = threadsPerJob == null ? 1 : threadsPerJob;
    check(threadsPerJob >= 1 && threadsPerJob <= 64, "threads-per-job", "must be between 1 and 64", threadsPerJob);
    partitioning = partitioning != null ? partitioning : TopologySettings.Partitioning.REPARTITION;
    commitInterval = positive(commitInterval,
        partitioning == TopologySettings.Partitioning.SOURCE ? Duration.ofSeconds(1) : Duration.ofMillis(100), "commit-interval");
    cacheSize = cacheSize != null ? cacheSize : DataSize.ofMegabytes(10);
    check(!cacheSize.isNegative(), "cache-size", "must not be negative", cacheSize);
    flushInterval = positive(flushInterval, Duration.ofMillis(200), "flush-interval");
    uploadCheckInterval = positive(uploadCheckInterval, Duration.ofSeconds(10), "upload-check-interval");
    tileRetention = tileRetention != null ? tileRetention : Duration.ofDays(2);
    check(tileRetention.compareTo(Duration.ofDays(2)) >= 0, "tile-retention",
        "must be at least P2D (DESIGN.md: streaming tiles are kept at least 2 days)", tileRetention);
    maxTileRetention = maxTileRetention != null ? maxTileRetention : Duration.ofDays(30);
    check(maxTileRetention.compareTo(tileRetention) >= 0, "max-tile-retention", "must be >= tile-retention", maxTileRetention);
    expireMargin = expireMargin != null ? expireMargin : Duration.ofDays(1);
    check(!expireMargin.isNegative(), "expire-margin", "must not be negative", expireMargin);
    sweepInterval = positive(sweepInterval, Duration.ofMinutes(10), "sweep-interval");
    stores = stores != null ? stores : TopologySettings.StoreKind.ROCKSDB;
    redisTimeout = positive(redisTimeout, Duration.ofSeconds(10), "redis-timeout");
    tilesHashTables = tilesHashTables == null || tilesHashTables;
    reconcileInterval = positive(reconcileInterval, Duration.ofSeconds(5), "reconcile-interval");
    lagInterval = positive(lagInterval, Duration.ofSeconds(5), "lag-interval");
    streamsProperties = streamsProperties == null ? Map.of() : Map.copyOf(streamsProperties);
  }

  /** The topology settings of a GroupBy's job. */
  public TopologySettings topologySettings(String groupBy) {
    return new TopologySettings(deadLetterTopic(groupBy), flushInterval, uploadCheckInterval, tileRetention,
        maxTileRetention, expireMargin, sweepInterval, stores, partitioning);
  }

  public String deadLetterTopic(String groupBy) {
    return deadLetterTopicPrefix + groupBy;
  }

  public String applicationId(String groupBy, int version) {
    return applicationIdPrefix + groupBy + "-v" + version;
  }

  private static String text(String v, String dflt, String name) {
    if (v == null) return dflt;
    check(!v.isBlank(), name, "must not be blank", v);
    return v;
  }

  private static Duration positive(Duration v, Duration dflt, String name) {
    if (v == null) return dflt;
    check(!v.isNegative() && !v.isZero(), name, "must be positive", v);
    return v;
  }

  private static void check(boolean ok, String name, String rule, Object value) {
    if (!ok) throw new IllegalArgumentException(P + name + " " + rule + ", was " + value);
  }
}
