package dev.tessera.batch.warehouse;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.row.RowSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lake directory ({@code tessera.batch.lake-dir}): the only place Parquet datasets of
 * definitions are read from. A definition is published by any WRITER, and the batch service reads
 * with its own file permissions, so a dataset path that could point anywhere would let a writer
 * read any Parquet file the service can (and export it as a training set). Paths are resolved
 * against this directory, must stay inside it after normalising, and every matched file must still
 * be inside it after following symbolic links.
 *
 * <p>Files are listed here, in Java, and handed to DuckDB's {@code read_parquet} as a list of
 * quoted literals: the SQL never contains a glob a user wrote, and a job reads only the files of
 * the days it needs. A file's day is its nearest folder named {@code YYYY-MM-DD} or
 * {@code <name>=YYYY-MM-DD} (hive style, e.g. {@code ds=2026-03-01}); such a folder must hold the
 * events of that UTC day only (by the source's time column). Files without a day folder are always
 * read.
 */
public final class Lake {
  private static final Pattern DAY_FOLDER = Pattern.compile("(?:[A-Za-z_][A-Za-z0-9_]*=)?(\\d{4}-\\d{2}-\\d{2})");
  private static final long DAY_MILLIS = 86_400_000L;
  /**
   * The folder of the jobs' shuffle spill files (dev.tessera.batch.shuffle), inside the lake so that
   * every worker sees it; never part of a dataset, even one whose glob would match it.
   */
  public static final String SHUFFLE_FOLDER = ".tessera-shuffle";

  private final Path root;

  public Lake(Path dir) {
    this.root = dir.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /**
   * The dataset's path made absolute against the lake directory.
   *
   * @throws IllegalArgumentException when it leads outside the lake directory
   */
  public Path resolve(ParquetDataset dataset) {
    Path p = root.resolve(dataset.path()).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException(dataset + " is outside the lake directory (tessera.batch.lake-dir): "
          + "Parquet sources are read only from there");
    }
    return p;
  }

  /** Every file of the dataset, sorted. */
  public List<Path> files(ParquetDataset dataset) {
    return files(dataset, null, null);
  }

  /**
   * The files of the dataset whose day folder overlaps {@code [from, to)} (epoch millis, either
   * null for unbounded), sorted; files without a day folder always.
   */
  public List<Path> files(ParquetDataset dataset, Long from, Long to) {
    return matching(dataset).stream().filter(f -> overlaps(dayOf(root.relativize(f)), from, to)).toList();
  }

  /**
   * The SQL relation of the dataset's files for {@code [from, to)}: {@code read_parquet([...])} of
   * the files as quoted literals, or an empty relation of the schema's columns when no file is left.
   */
  public String scan(ParquetDataset dataset, RowSchema schema, Long from, Long to) {
    return read(files(dataset, from, to), schema);
  }

  /**
   * The SQL relation of these files (inside the lake directory: listed by it or written by a job):
   * {@code read_parquet([...])} of them as quoted literals, or an empty relation of the schema's columns when there are none.
   */
  public String read(List<Path> files, RowSchema schema) {
    if (files.isEmpty()) return empty(schema);
    String list = files.stream().map(f -> literal(f.toString())).collect(Collectors.joining(", "));
    // union_by_name: files written at different times may order their columns differently.
    // hive_partitioning off: the columns are the files' own; days are chosen above, by folder.
    return "read_parquet([" + list + "], union_by_name = true, hive_partitioning = false)";
  }

  /** A relation over one file: what the dataset's columns look like (its newest file). */
  public String sample(ParquetDataset dataset) {
    List<Path> files = files(dataset);
    return files.isEmpty() ? null : "read_parquet(" + literal(files.getLast().toString()) + ")";
  }

  static LocalDate dayOf(Path relative) {
    LocalDate day = null;
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      Matcher m = DAY_FOLDER.matcher(relative.getName(i).toString());
      if (!m.matches()) continue;
      try {
        day = LocalDate.parse(m.group(1));
      } catch (DateTimeParseException e) {
        // a folder named like a date that is none (2026-13-45): not a day folder
      }
    }
    return day;
  }

  static boolean overlaps(LocalDate day, Long from, Long to) {
    if (day == null) return true;
    long start = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    return (from == null || start + DAY_MILLIS > from) && (to == null || start < to);
  }

  private List<Path> matching(ParquetDataset dataset) {
    Path pattern = resolve(dataset);
    int firstGlob = -1;
    for (int i = 0; i < pattern.getNameCount() && firstGlob < 0; i++) {
      String name = pattern.getName(i).toString();
      if (name.contains("*") || name.contains("?")) firstGlob = i;
    }
    Path base = firstGlob < 0 ? pattern : pattern.getRoot().resolve(pattern.subpath(0, firstGlob));
    if (Files.isRegularFile(base)) return List.of(checked(base));
    if (!Files.isDirectory(base)) return List.of();
    PathMatcher glob = firstGlob < 0 ? p -> p.getFileName().toString().endsWith(".parquet")
        : FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    Path spill = root.resolve(SHUFFLE_FOLDER);
    PathMatcher matcher = p -> !p.startsWith(spill) && glob.matches(p);
    try (Stream<Path> walk = Files.walk(base)) {
      List<Path> out = new ArrayList<>();
      walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().forEach(f -> out.add(checked(f)));
      return out;
    } catch (IOException | UncheckedIOException e) {
      throw new WarehouseException("cannot list the files of " + dataset, e);
    }
  }

  /** A file that a symbolic link takes out of the lake directory is refused, not read. */
  private Path checked(Path file) {
    try {
      if (!file.toRealPath().startsWith(root.toRealPath())) {
        throw new WarehouseException("Parquet file " + root.relativize(file) + " links outside the lake directory");
      }
      return file;
    } catch (IOException e) {
      throw new WarehouseException("cannot read Parquet file " + file, e);
    }
  }

  /** A quoted SQL string literal of a file name (control characters refused: they have no place in one). */
  public static String literal(String text) {
    if (text.chars().anyMatch(Character::isISOControl)) throw new WarehouseException("a Parquet file name has a control character");
    return "'" + text.replace("'", "''") + "'";
  }

  private static String empty(RowSchema schema) {
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      String type = schema.type(i) instanceof DataType.Primitive p ? switch (p) {
        case STRING -> "VARCHAR";
        case INT -> "INTEGER";
        case LONG -> "BIGINT";
        case FLOAT -> "FLOAT";
        case DOUBLE -> "DOUBLE";
        case BOOLEAN -> "BOOLEAN";
      } : "VARCHAR";
      columns.add("CAST(NULL AS " + type + ") AS \"" + schema.name(i).replace("\"", "\"\"") + "\"");
    }
    return "(SELECT " + String.join(", ", columns) + " LIMIT 0)";
  }
}
