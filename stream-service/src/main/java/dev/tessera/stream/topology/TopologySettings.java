package dev.tessera.stream.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a tiling topology that do not come from the GroupBy definition.
 *
 * @param deadLetterTopic where late and malformed events go
 * @param flushInterval how often dirty tiles are written to Redis (wall clock): the main part of freshness
 * @param uploadCheckInterval how often the upload marker is re-read from Redis
 * @param retention minimum age of tiles kept in Redis (DESIGN.md: at least 2 days)
 * @param maxRetention tiles are never kept longer, even when uploads stop
 * @param expireMargin added to the longest retention for the expiry of idle entities' tile hashes
 * @param sweepInterval how often the task forgets entities whose tiles are all past retention (and deletes their hashes)
 * @param stores where the task keeps its state: RocksDB, or memory (restored from the changelog on start)
 * @param partitioning how events reach the task that owns their entity
 */
public record TopologySettings(String deadLetterTopic, Duration flushInterval, Duration uploadCheckInterval,
    Duration retention, Duration maxRetention, Duration expireMargin, Duration sweepInterval,
    StoreKind stores, Partitioning partitioning) {

  /** How one entity's events come to one task (one writer per tile). */
  public enum Partitioning {
    /** Through an internal topic keyed by the entity: correct whatever the source topics' keys. */
    REPARTITION,
    /**
     * The source topics are keyed by the entity key ({@link dev.tessera.agg.accept.Acceptance#recordKey})
     * with the default partitioner, and all have the same partition count: no internal topic for them,
     * about half the work per event. A record keyed otherwise (or not at all) still counts: it takes
     * an internal topic ({@link TileTopology#REROUTE}) to its entity's task. Adding partitions to a
     * source topic moves entities between tasks: do not.
     */
    SOURCE
  }

  /** Where a task's state lives; both are changelogged, so both survive a crash. */
  public enum StoreKind {
    /** On disk: state larger than memory, quick restarts from the local copy. */
    ROCKSDB,
    /** In the heap: faster, restored from the changelog whenever a task starts. */
    IN_MEMORY
  }

  public TopologySettings {
    Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    positive(flushInterval, "flushInterval");
    positive(uploadCheckInterval, "uploadCheckInterval");
    positive(retention, "retention");
    positive(maxRetention, "maxRetention");
    positive(sweepInterval, "sweepInterval");
    Objects.requireNonNull(expireMargin, "expireMargin");
    Objects.requireNonNull(stores, "stores");
    Objects.requireNonNull(partitioning, "partitioning");
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
  }

  /** Defaults for a GroupBy's dead-letter topic. */
  public static TopologySettings defaults(String deadLetterTopic) {
    return new TopologySettings(deadLetterTopic, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofDays(2),
        Duration.ofDays(30), Duration.ofDays(1), Duration.ofMinutes(10), StoreKind.ROCKSDB,
        Partitioning.REPARTITION);
  }

  public TopologySettings withFlushInterval(Duration d) {
    return new TopologySettings(deadLetterTopic, d, uploadCheckInterval, retention, maxRetention, expireMargin, sweepInterval, stores, partitioning);
  }

  public TopologySettings withRetention(Duration r, Duration max) {
    return new TopologySettings(deadLetterTopic, flushInterval, uploadCheckInterval, r, max, expireMargin, sweepInterval, stores, partitioning);
  }

  public TopologySettings withPartitioning(Partitioning p) {
    return new TopologySettings(deadLetterTopic, flushInterval, uploadCheckInterval, retention, maxRetention, expireMargin, sweepInterval, stores, p);
  }

  public TopologySettings withStores(StoreKind kind) {
    return new TopologySettings(deadLetterTopic, flushInterval, uploadCheckInterval, retention, maxRetention, expireMargin, sweepInterval, kind, partitioning);
  }
}
