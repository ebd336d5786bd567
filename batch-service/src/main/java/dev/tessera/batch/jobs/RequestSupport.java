package dev.tessera.batch.jobs;

import java.util.Optional;
import dev.tessera.support.DefinitionsUnavailableException;
import dev.tessera.support.Definitions;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Source;
import dev.tessera.agg.join.LeftSource;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.read.UnsupportedSourceException;
import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseColumn;
import dev.tessera.support.LiveGroupBy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The checks every job request shares: the GroupBy is live, its sources exist in the warehouse,
 * dates parse, partition counts and reject limits are sane, exports stay in the export directory.
 * Problems are collected so that one 400 names them all.
 */
public final class RequestSupport {
  public static final int MAX_PARTITIONS = 1024;

  private final Definitions definitions;
  private final BatchServiceProperties properties;
  private final Warehouse warehouse;
  private static final java.util.regex.Pattern SNAPSHOT = java.util.regex.Pattern.compile("(?i)[a-z][a-z0-9_]*_v\\d+_daily");
  private final Clock clock;

  public RequestSupport(Definitions definitions, BatchServiceProperties properties, Warehouse warehouse, Clock clock) {
    this.definitions = definitions;
    this.properties = properties;
    this.warehouse = warehouse;
    this.clock = clock;
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  public BatchServiceProperties properties() {
    return properties;
  }

  /**
   * @throws InvalidRequestException when the name is missing
   * @throws DefinitionsNotReadyException while the registry topic is being read
   * @throws UnknownGroupByException when no live GroupBy has that name
   */
  /** Version {@code version} of a GroupBy that has a live version (the live one or another: a rollout's). */
  public LiveGroupBy groupBy(String name, int version) {
    LiveGroupBy live = groupBy(name);
    if (live.version() == version) return live;
    if (version < 1) throw new InvalidRequestException("version", "must be at least 1, got " + version);
    try {
      return definitions.version(live.name(), version).orElseThrow(() -> new InvalidRequestException("version",
          live.name() + " has no version " + version + " (the live version is " + live.version() + ")"));
    } catch (DefinitionsUnavailableException e) {
      throw new DefinitionsNotReadyException(definitions.description());
    }
  }

  public LiveGroupBy groupBy(String name) {
    if (name == null || name.isBlank()) throw new InvalidRequestException("groupBy", "is required: the name of a live GroupBy");
    Optional<LiveGroupBy> found;
    try {
      found = definitions.live(name.trim());
    } catch (DefinitionsUnavailableException e) {
      throw new DefinitionsNotReadyException(definitions.description());
    }
    if (found.isPresent()) return found.get();
    if (!definitions.isCaughtUp()) throw new DefinitionsNotReadyException(definitions.description());
    throw new UnknownGroupByException(name.trim(), definitions.description());
  }

  /** Checks that every source of {@code g} can be read: computed keys are refused, tables and columns must exist. */
  public void checkSources(CompiledGroupBy g, List<FieldProblem> problems) {
    List<SourcePlan> plans;
    try {
      plans = SourcePlan.of(g);
    } catch (UnsupportedSourceException e) {
      problems.add(new FieldProblem("groupBy", e.getMessage()));
      return;
    }
    for (SourcePlan s : plans) {
      String problem = sourceProblem(warehouse, s);
      if (problem != null) problems.add(new FieldProblem("groupBy", problem));
    }
  }

  /**
   * What is wrong with a source's table in the warehouse, or its Parquet dataset in the lake
   * directory (outside it, no file, a PostgreSQL warehouse), or null.
   */
  public static String sourceProblem(Warehouse warehouse, SourcePlan s) {
    List<WarehouseColumn> columns;
    try {
      columns = warehouse.columns(s.table());
    } catch (IllegalArgumentException e) {
      return "source " + s.index() + ": " + e.getMessage();
    }
    String what = s.table() instanceof TableName ? "source table " + s.table() : "source " + s.table();
    if (columns.isEmpty()) {
      return s.table() instanceof TableName ? what + " does not exist in the " + warehouse.kind() + " warehouse"
          : what + " matches no file in the lake directory";
    }
    Set<String> have = columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<String> missing = s.input().names().stream().filter(n -> !have.contains(n.toLowerCase(Locale.ROOT))).toList();
    return missing.isEmpty() ? null : what + " lacks the schema columns " + missing;
  }

  /**
   * Why a Parquet dataset cannot be a training set's left rows here, or null: the left rows are read, numbered and joined
   * in warehouse SQL, which on PostgreSQL cannot read Parquet (its jobs read Parquet sources beside it, in DuckDB).
   */
  public static String leftProblem(Warehouse warehouse, Relation left) {
    if (!(left instanceof ParquetDataset) || !warehouse.readsParquetApart()) return null;
    return "a Parquet left needs the DuckDB warehouse: the " + warehouse.kind() + " warehouse reads Parquet sources, but joins"
        + " the left rows in its own SQL (use a leftTable)";
  }

  public LocalDate date(String field, String value, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) {
      problems.add(new FieldProblem(field, "is required (yyyy-MM-dd)"));
      return null;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      problems.add(new FieldProblem(field, "'" + value + "' is not a date (yyyy-MM-dd)"));
      return null;
    }
  }

  /**
   * Tables a job may not write (issue 21: a training set replaced another GroupBy's source table):
   * any live GroupBy's source table, unless {@code topic} is the topic that source reads (an ingest
   * landing that source's own events), any live Join's left table, unless {@code topic} is the
   * left's own {@code topic} (an ingest landing the labels or checkouts it is built from,
   * JoinEndToEndIT; a left without one is kept outside Tessera and no job writes it), and any table
   * named like a backfill snapshot ({@code <groupBy>_v<n>_daily}). {@code topic} is null for a job
   * that replaces its output (training set). Tables other jobs wrote are checked when the job starts
   * ({@link JobSubmitter}).
   */
  public void checkWritable(String field, TableName table, String topic, List<FieldProblem> problems) {
    if (SNAPSHOT.matcher(table.name()).matches()) {
      problems.add(new FieldProblem(field, table + " is named like a backfill snapshot table (<groupBy>_v<version>_daily); those are written by backfill only"));
    }
    for (LiveGroupBy g : definitions.all()) {
      for (Source source : g.published().definition().sources()) {
        if (!(source instanceof EventSource es)) continue;
        if (sameTable(es.table(), table) && (topic == null || !topic.equals(es.topic()))) {
          problems.add(new FieldProblem(field, table + " is a source table of GroupBy " + g.name()
              + (topic == null ? "" : " (it reads topic " + es.topic() + ", not " + topic + ")") + "; choose another table"));
        }
      }
    }
    for (PublishedJoin j : definitions.allJoins()) {
      LeftSource left = j.definition().left();
      if (sameTable(left.table(), table) && (topic == null || !topic.equals(left.topic()))) {
        String why = topic == null ? "" : left.topic() == null
            ? " (its left names no topic: the table is kept outside Tessera)"
            : " (it is landed from topic " + left.topic() + ", not " + topic + ")";
        problems.add(new FieldProblem(field, table + " is the left table of Join " + j.name() + why + "; choose another table"));
      }
    }
  }

  /** Whether a definition's table name names {@code table}; a name that does not parse names none. */
  private static boolean sameTable(String name, TableName table) {
    try {
      return name != null && TableName.parse(name).key().equals(table.key());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Yesterday in UTC: the latest day whose events are all in (an upload is as of a complete day). */
  public LocalDate lastCompleteDay() {
    return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).minusDays(1);
  }

  /**
   * The common parameters: a unique request id (every request is a new job instance), the GroupBy
   * version, the target, partitions and reject limits.
   */
  public JobParametersBuilder parameters(LiveGroupBy g, String target, Integer partitions, Long maxRejectedRows,
      Double maxRejectedFraction, List<FieldProblem> problems) {
    int n = partitions == null ? properties.effectivePartitions() : partitions;
    if (partitions != null && (partitions < 1 || partitions > MAX_PARTITIONS)) {
      problems.add(new FieldProblem("partitions", "must be between 1 and " + MAX_PARTITIONS + ", was " + partitions));
    }
    long maxRows = maxRejectedRows == null ? properties.rejects().maxRows() : maxRejectedRows;
    if (maxRows < -1) problems.add(new FieldProblem("maxRejectedRows", "must be -1 (no limit) or more, was " + maxRows));
    double maxFraction = maxRejectedFraction == null ? properties.rejects().maxFraction() : maxRejectedFraction;
    if (!(maxFraction >= 0 && maxFraction <= 1)) {
      problems.add(new FieldProblem("maxRejectedFraction", "must be between 0 and 1, was " + maxFraction));
    }
    JobParametersBuilder b = identity(target)
        .addLong(JobParameterNames.PARTITIONS, (long) n, false)
        .addLong(JobParameterNames.MAX_REJECTED_ROWS, maxRows, false)
        .addDouble(JobParameterNames.MAX_REJECTED_FRACTION, maxFraction, false);
    if (g != null) {
      b.addString(JobParameterNames.GROUP_BY, g.name(), false).addLong(JobParameterNames.VERSION, (long) g.version(), false);
    }
    return b;
  }

  /**
   * Whether the job's Parquet sources go through the lake shuffle (README "Lake shuffle"): never when {@code g} reads
   * no Parquet dataset (a table is read by key hash in place); else as the request asks, else when the job has at
   * least {@code tessera.batch.lake-shuffle-min-partitions} partitions (below that, the shuffle did not pay in
   * LakeShuffleBenchmark).
   */
  public JobParametersBuilder lakeShuffle(JobParametersBuilder params, Boolean requested, CompiledGroupBy g) {
    Long partitions = params.toJobParameters().getLong(JobParameterNames.PARTITIONS);
    boolean lake = g.definition().sources().stream().anyMatch(s -> s instanceof EventSource es && es.parquet() != null);
    boolean on = lake && (requested != null ? requested : partitions != null && partitions >= properties.lakeShuffleMinPartitions());
    return params.addString(JobParameterNames.LAKE_SHUFFLE, Boolean.toString(on), false);
  }

  /**
   * The parameters every job has, read or not: a unique request id (every request is a new job
   * instance), the target (two running jobs never share one) and when it was asked for.
   */
  public JobParametersBuilder identity(String target) {
    return new JobParametersBuilder()
        .addString(JobParameterNames.REQUEST_ID, UUID.randomUUID().toString(), true)
        .addString(JobParameterNames.TARGET, target, false)
        .addString(JobParameterNames.REQUESTED_AT, clock.instant().toString(), false);
  }

  /**
   * A Parquet export path inside the export directory (relative paths are resolved against it), or
   * null when none was asked for.
   */
  public String parquetPath(String requested, List<FieldProblem> problems) {
    Path path = exportPath("parquetPath", "a file", requested, problems);
    if (path == null) return null;
    if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      problems.add(new FieldProblem("parquetPath", "must end with .parquet"));
      return null;
    }
    return path.toString();
  }

  /**
   * A Parquet dataset folder inside the export directory (relative paths are resolved against it),
   * or null when none was asked for: a folder, not a file (that is {@code parquetPath}).
   */
  public String parquetDataset(String requested, List<FieldProblem> problems) {
    Path path = exportPath("parquetDataset", "a folder", requested, problems);
    if (path == null) return null;
    if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      problems.add(new FieldProblem("parquetDataset", "names a folder of day folders, not a .parquet file (for one file use parquetPath)"));
      return null;
    }
    if (Files.exists(path) && !Files.isDirectory(path)) {
      problems.add(new FieldProblem("parquetDataset", "exists and is not a folder"));
      return null;
    }
    return path.toString();
  }

  /** The export root; a Parquet dataset's folder must stay inside it (ParquetDatasetExport checks again, links followed). */
  private Path exportRoot() {
    return properties.exportDir().toAbsolutePath().normalize();
  }

  /** {@code requested} resolved against the export directory, or null (with a problem when it leads outside it). */
  private Path exportPath(String field, String what, String requested, List<FieldProblem> problems) {
    if (requested == null || requested.isBlank()) return null;
    if (!warehouse.dialect().supportsParquet()) {
      problems.add(new FieldProblem(field, "Parquet export needs the DuckDB warehouse (this one is " + warehouse.dialect().name() + ")"));
      return null;
    }
    Path base = exportRoot();
    Path path = base.resolve(requested.trim()).normalize();
    if (!path.startsWith(base) || path.equals(base)) {
      problems.add(new FieldProblem(field, "must be " + what + " inside the export directory " + base + " (tessera.batch.export-dir)"));
      return null;
    }
    return path;
  }

  public static void throwIfAny(List<FieldProblem> problems) {
    if (!problems.isEmpty()) throw new InvalidRequestException(problems);
  }
}
