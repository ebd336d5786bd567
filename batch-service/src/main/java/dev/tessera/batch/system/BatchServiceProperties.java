package dev.tessera.batch.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every setting of the batch service ({@code tessera.batch.*}, or {@code TESSERA_BATCH_*} in the
 * environment). Unset values get the defaults below; a bad value fails the start with the property's
 * name in the message. README "Configuration" lists them all.
 *
 * @param dataDir where the default H2 job repository, the default DuckDB warehouse and exports live
 * @param partitions key-hash partitions per job (0 = the number of cores)
 * @param chunkEntities entities per chunk: one warehouse transaction and one progress checkpoint
 * @param exportDir the only directory Parquet exports may write to (default {@code <dataDir>/exports})
 * @param lakeDir the only directory Parquet sources may be read from; relative dataset paths resolve against it
 *     (default {@code <dataDir>/lake})
 * @param recoverOnStartup mark jobs left running by a dead process as FAILED at start (one instance per job repository)
 * @param lakeShuffleMinPartitions from how many partitions a job over Parquet sources goes through the lake shuffle when
 *     its request does not say (README "Lake shuffle"; 16 by LakeShuffleBenchmark on 2 cores: it paid in every run at 16 partitions, in some at 8, rarely below)
 */
@ConfigurationProperties("tessera.batch")
public record BatchServiceProperties(Path dataDir, Integer partitions, Integer chunkEntities, Path exportDir,
    Path lakeDir, Boolean recoverOnStartup, Warehouse warehouse, Definitions definitions, Rejects rejects, Upload upload, Ingest ingest,
    Integer lakeShuffleMinPartitions) {

  public BatchServiceProperties {
    dataDir = dataDir == null ? Path.of("data") : dataDir;
    partitions = partitions == null ? 0 : partitions;
    require(partitions >= 0 && partitions <= 1024, "tessera.batch.partitions", "must be between 0 (= cores) and 1024", partitions);
    chunkEntities = chunkEntities == null ? 5000 : chunkEntities;
    require(chunkEntities >= 1, "tessera.batch.chunk-entities", "must be at least 1", chunkEntities);
    exportDir = exportDir == null ? dataDir.resolve("exports") : exportDir;
    lakeDir = lakeDir == null ? dataDir.resolve("lake") : lakeDir;
    recoverOnStartup = recoverOnStartup == null || recoverOnStartup;
    warehouse = warehouse == null ? new Warehouse(null, null, null, null, null, null, null, null, null) : warehouse;
    definitions = definitions == null ? new Definitions(null, null, null) : definitions;
    rejects = rejects == null ? new Rejects(null, null, null) : rejects;
    upload = upload == null ? new Upload(null, null, null) : upload;
    ingest = ingest == null ? new Ingest(null, null, null) : ingest;
    lakeShuffleMinPartitions = lakeShuffleMinPartitions == null ? 16 : lakeShuffleMinPartitions;
    require(lakeShuffleMinPartitions >= 1, "tessera.batch.lake-shuffle-min-partitions", "must be at least 1", lakeShuffleMinPartitions);
  }

  /** Partitions to use when a request does not say: the configured count, or the number of cores. */
  public int effectivePartitions() {
    return partitions > 0 ? partitions : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** The warehouse URL: the configured one, or a DuckDB file in the data directory. */
  public String warehouseUrl() {
    return warehouse.url() != null ? warehouse.url()
        : "jdbc:duckdb:" + dataDir.toAbsolutePath().normalize().resolve("warehouse.duckdb");
  }

  /**
   * The warehouse (DESIGN.md "Warehouse"): DuckDB file by default, PostgreSQL by URL.
   *
   * @param url JDBC URL ({@code jdbc:duckdb:<file>} or {@code jdbc:postgresql://...}); default DuckDB in the data dir
   * @param fetchSize rows fetched per round trip while streaming events
   * @param memoryLimit DuckDB {@code memory_limit} (DuckDB spills sorts beyond it to its temp directory)
   * @param threads DuckDB {@code threads} (0 = cores)
   * @param maxPoolSize PostgreSQL connection pool size (each partition holds up to three connections)
   * @param checkpointThreshold DuckDB {@code checkpoint_threshold}: how much WAL gathers before DuckDB
   *     checkpoints. Jobs commit often; checkpointing after every few commits costs more than the work
   */
  public record Warehouse(String url, String username, String password, Integer fetchSize, String memoryLimit,
      Integer threads, Path tempDirectory, Integer maxPoolSize, String checkpointThreshold) {
    public Warehouse {
      if (url != null && !url.startsWith("jdbc:duckdb:") && !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("tessera.batch.warehouse.url must start with jdbc:duckdb: or jdbc:postgresql:, was " + url);
      }
      fetchSize = fetchSize == null ? 10_000 : fetchSize;
      require(fetchSize >= 1, "tessera.batch.warehouse.fetch-size", "must be at least 1", fetchSize);
      memoryLimit = memoryLimit == null ? "2GB" : memoryLimit;
      if (!memoryLimit.matches(SIZE)) {
        throw new IllegalArgumentException("tessera.batch.warehouse.memory-limit must be a size such as 2GB or 512MB, was " + memoryLimit);
      }
      threads = threads == null ? 0 : threads;
      require(threads >= 0, "tessera.batch.warehouse.threads", "must be 0 (= cores) or more", threads);
      maxPoolSize = maxPoolSize == null ? 16 : maxPoolSize;
      checkpointThreshold = checkpointThreshold == null ? "1GB" : checkpointThreshold;
      if (!checkpointThreshold.matches(SIZE)) {
        throw new IllegalArgumentException("tessera.batch.warehouse.checkpoint-threshold must be a size such as 1GB or 256MB, was " + checkpointThreshold);
      }
      require(maxPoolSize >= 2, "tessera.batch.warehouse.max-pool-size", "must be at least 2", maxPoolSize);
    }
  }

  /**
   * Where GroupBy definitions come from.
   *
   * @param source {@code registry} (follow the registry topic, the normal path) or {@code directory}
   *     (read YAML/JSON files, for local runs without Kafka)
   * @param registryTopic the compacted registry topic
   * @param directory the definition files when {@code source=directory}
   */
  public record Definitions(String source, String registryTopic, Path directory) {
    public Definitions {
      source = source == null ? "registry" : source.toLowerCase(Locale.ROOT);
      if (!source.equals("registry") && !source.equals("directory")) {
        throw new IllegalArgumentException("tessera.batch.definitions.source must be 'registry' or 'directory', was " + source);
      }
      registryTopic = registryTopic == null ? "tessera.registry" : registryTopic;
      if (source.equals("directory") && directory == null) {
        throw new IllegalArgumentException("tessera.batch.definitions.directory is required when tessera.batch.definitions.source=directory");
      }
    }

    public boolean fromDirectory() {
      return source.equals("directory");
    }
  }

  /**
   * Default limits on rejected rows (null key, bad type, missing time, CEL error) before a job
   * fails; a request may override them.
   *
   * @param maxRows absolute limit (-1 = none)
   * @param maxFraction limit as a fraction of the rows read (1 = none)
   * @param samples rejected rows kept as samples in the job report, per partition
   */
  public record Rejects(Long maxRows, Double maxFraction, Integer samples) {
    public Rejects {
      maxRows = maxRows == null ? -1L : maxRows;
      require(maxRows >= -1, "tessera.batch.rejects.max-rows", "must be -1 (no limit) or more", maxRows);
      maxFraction = maxFraction == null ? 0.01 : maxFraction;
      if (!(maxFraction >= 0 && maxFraction <= 1)) {
        throw new IllegalArgumentException("tessera.batch.rejects.max-fraction must be between 0 and 1, was " + maxFraction);
      }
      samples = samples == null ? 10 : samples;
      require(samples >= 0 && samples <= 1000, "tessera.batch.rejects.samples", "must be between 0 and 1000", samples);
    }
  }

  /**
   * @param ttl expiry of uploaded batch IRs (0 = none). With a TTL, an entity whose uploads stop
   *     loses its batch IR after it; without one, stale IRs are only removed by the next uploads
   * @param cleanupLookback how far before the longest window an upload still reads, so that entities
   *     that fell out of every window since the previous uploads get their old batch IR deleted
   * @param pipeline Redis commands per pipelined round trip
   */
  public record Upload(Duration ttl, Duration cleanupLookback, Integer pipeline) {
    public Upload {
      ttl = ttl == null ? Duration.ZERO : ttl;
      if (ttl.isNegative()) throw new IllegalArgumentException("tessera.batch.upload.ttl must not be negative, was " + ttl);
      cleanupLookback = cleanupLookback == null ? Duration.ofDays(2) : cleanupLookback;
      if (cleanupLookback.isNegative()) {
        throw new IllegalArgumentException("tessera.batch.upload.cleanup-lookback must not be negative, was " + cleanupLookback);
      }
      pipeline = pipeline == null ? 1000 : pipeline;
      require(pipeline >= 1, "tessera.batch.upload.pipeline", "must be at least 1", pipeline);
    }
  }

  /**
   * @param batchSize records per warehouse transaction (rows and offsets commit together)
   * @param pollTimeout how long one Kafka poll waits
   * @param offsetsTable the warehouse table that holds the ingest offsets (the source of truth)
   */
  public record Ingest(Integer batchSize, Duration pollTimeout, String offsetsTable) {
    public Ingest {
      batchSize = batchSize == null ? 5000 : batchSize;
      require(batchSize >= 1, "tessera.batch.ingest.batch-size", "must be at least 1", batchSize);
      pollTimeout = pollTimeout == null ? Duration.ofMillis(500) : pollTimeout;
      if (pollTimeout.isNegative() || pollTimeout.isZero()) {
        throw new IllegalArgumentException("tessera.batch.ingest.poll-timeout must be positive, was " + pollTimeout);
      }
      offsetsTable = offsetsTable == null ? "tessera_ingest_offsets" : offsetsTable;
      if (!offsetsTable.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
        throw new IllegalArgumentException("tessera.batch.ingest.offsets-table must be a table name ([schema.]name), was " + offsetsTable);
      }
    }
  }

  private static final String SIZE = "(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)";

  private static void require(boolean ok, String property, String rule, Object value) {
    if (!ok) throw new IllegalArgumentException(property + " " + rule + ", was " + value);
  }
}
