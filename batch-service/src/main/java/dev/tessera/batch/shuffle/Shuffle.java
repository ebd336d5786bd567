package dev.tessera.batch.shuffle;

import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.read.EventQuery;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.Lake;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * The lake shuffle of one job (README "Lake shuffle"): its spill folder
 * {@code <lake>/.tessera-shuffle/job-<instance>/source-<i>/scatter-<s>/__tessera_bucket=<b>/*.parquet}, where scatter
 * partition {@code s} writes the rows of its share of a Parquet source's files, each under the key-hash partition
 * that owns its key ({@link EventQuery#bucketOf}), and keyed partition {@code b} reads only the files of bucket
 * {@code b}.
 *
 * <p>The folder belongs to the job instance, so a restart finds what the failed run spilled. A scatter
 * partition writes into {@code scatter-<s>.tmp} and renames it to {@code scatter-<s>} when its statement is done: a
 * keyed partition never sees half a scatter, and a re-run of scatter partition {@code s} deletes both folders first,
 * so it replaces its own files and no row is spilled twice.
 */
public record Shuffle(Lake lake, long jobInstanceId, int buckets) {
  /** Job parameter: {@code true} when the job's Parquet sources go through the shuffle (RequestSupport#lakeShuffle). */
  public static final String PARAMETER = JobParameterNames.LAKE_SHUFFLE;
  /** Step context key prefix (+ source index) of the spill files a keyed partition read, relative to the lake directory. */
  public static final String READ_FILES = "tessera.shuffle.read.";
  static final String BUCKET = "__tessera_bucket";
  private static final Pattern SCATTER_FOLDER = Pattern.compile("scatter-\\d+");

  /** The job's shuffle, or null when the job reads its sources directly. */
  public static Shuffle of(JobExecution job, Warehouse warehouse) {
    if (!"true".equals(job.getJobParameters().getString(PARAMETER))) return null;
    return new Shuffle(warehouse.lake(), job.getJobInstanceId(), Math.toIntExact(job.getJobParameters().getLong(JobParameterNames.PARTITIONS)));
  }

  /** True for the sources the shuffle spills: Parquet datasets (a warehouse table is read by key hash in place). */
  public static boolean spills(SourcePlan source) {
    return source.table() instanceof ParquetDataset;
  }

  public Path folder() {
    return lake.root().resolve(Lake.SHUFFLE_FOLDER).resolve("job-" + jobInstanceId);
  }

  Path scatterFolder(int source, int scatter) {
    return folder().resolve("source-" + source).resolve("scatter-" + scatter);
  }

  /**
   * Spills {@code files} of {@code source} as scatter partition {@code scatter}: one COPY whose PARTITION_BY files each
   * row under its bucket, replacing whatever an earlier attempt of this scatter partition left.
   */
  void scatter(Warehouse warehouse, SourcePlan source, int scatter, List<Path> files) {
    Path done = scatterFolder(source.index(), scatter);
    Path staging = done.resolveSibling(done.getFileName() + ".tmp");
    try {
      deleteTree(staging);
      deleteTree(done);
      if (files.isEmpty()) {
        Files.createDirectories(staging);
      } else {
        Files.createDirectories(staging.getParent());
        // Parquet in, Parquet out: on the DuckDB that reads Parquet, hashing keys as the warehouse's partitions do.
        SqlDialect d = warehouse.dialect(source.table());
        String columns = source.input().names().stream().map(d::quote).collect(Collectors.joining(", "));
        warehouse.executeOnLake("COPY (SELECT " + columns + ", " + EventQuery.bucketOf(d, source, buckets) + " AS " + BUCKET + " FROM "
            + lake.read(files, source.input()) + ") TO " + Lake.literal(staging.toString()) + " (FORMAT PARQUET, PARTITION_BY (" + BUCKET + "))");
      }
      Files.move(staging, done, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new WarehouseException("spilling scatter partition " + scatter + " of " + source.table() + " to " + done + " failed", e);
    }
  }

  /** The spill files of {@code source} that bucket {@code bucket} owns, from every finished scatter partition, sorted. */
  public List<Path> bucketFiles(int source, int bucket) {
    Path dir = folder().resolve("source-" + source);
    if (!Files.isDirectory(dir)) return List.of();
    List<Path> out = new ArrayList<>();
    try (Stream<Path> scatters = Files.list(dir)) {
      for (Path s : scatters.filter(p -> SCATTER_FOLDER.matcher(p.getFileName().toString()).matches()).sorted().toList()) {
        Path b = s.resolve(BUCKET + "=" + bucket);
        if (!Files.isDirectory(b)) continue;
        try (Stream<Path> files = Files.list(b)) {
          files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().forEach(out::add);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new WarehouseException("cannot list the shuffle files of " + dir, e);
    }
    return out;
  }

  /**
   * What keyed partition {@code p} reads {@code source} from: the spill files of its bucket, or null for a source
   * that is not spilled. The files are recorded in the partition's step context ({@link #READ_FILES}).
   */
  public String relation(SourcePlan source, Partition p, StepExecution step) {
    if (!spills(source)) return null;
    if (p.count() != buckets) throw new IllegalStateException("partition " + p + " of a job shuffled into " + buckets + " buckets");
    List<Path> files = bucketFiles(source.index(), p.index());
    step.getExecutionContext().putString(READ_FILES + source.index(),
        files.stream().map(f -> lake.root().relativize(f).toString()).collect(Collectors.joining("\n")));
    return lake.read(files, source.input());
  }

  /** Removes the job's spill folder (the job completed: nothing will read it again). */
  public void delete() {
    try {
      deleteTree(folder());
    } catch (IOException e) {
      throw new WarehouseException("cannot delete the shuffle folder " + folder(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
