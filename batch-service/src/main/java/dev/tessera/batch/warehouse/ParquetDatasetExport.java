package dev.tessera.batch.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a job's output as a Parquet dataset: a folder with one sub-folder per UTC day,
 * {@code <folder>/ds=YYYY-MM-DD/<name>_<i>.parquet} (rows without a day in
 * {@code ds=__HIVE_DEFAULT_PARTITION__}, as Hive and Spark name a null partition). The day folders
 * are the ones the lake reads with day pruning ({@link Lake}), and Spark, DuckDB or pandas read the
 * folder as one dataset.
 *
 * <p>Several jobs may write into one folder: a job's files are named after its output table
 * ({@code name}), and a re-run replaces its own files only, those of the days it covers, never
 * another name's. DuckDB writes the day folders into a staging folder first ({@code PARTITION_BY});
 * the files are then moved in place here, in Java, after the job's old files of those days are
 * deleted, so nothing outside the folder is touched and a crash leaves at worst a staging folder
 * that the next run removes.
 */
public final class ParquetDatasetExport {
  /** The day folders' partition name. */
  public static final String DAY = "ds";
  private static final String NULL_DAY = "__HIVE_DEFAULT_PARTITION__";
  private static final String DAY_COLUMN = "__tessera_day";

  /** What an export wrote into which folder: files and day folders. */
  public record Written(String folder, int files, int days) {
    /** The job result's fields: {@code parquetDataset} (the folder) and {@code parquetFiles}. */
    public void putInto(java.util.Map<String, Object> result) {
      result.put("parquetDataset", folder);
      result.put("parquetFiles", files);
    }
  }

  /** The UTC day of an epoch-millis expression, as a SQL DATE: a training set row's day folder. */
  public static String dayOfMillis(String millis) {
    return "CAST(epoch_ms(" + millis + ") AS DATE)";
  }

  private ParquetDatasetExport() {}

  /**
   * @param query the rows to write
   * @param dayExpression a SQL DATE of a row of {@code query}: its day folder
   * @param folder the dataset folder, inside {@code exportRoot} (checked again here after following links)
   * @param name the job's file name stem (its output table's name: identifier characters only)
   * @param replacedDay which day folders' files of {@code name} this export replaces (by folder value, {@code YYYY-MM-DD})
   */
  public static Written export(Warehouse warehouse, String query, String dayExpression, Path folder, Path exportRoot, String name,
      Predicate<String> replacedDay) {
    if (!warehouse.dialect().supportsParquet()) throw new WarehouseException("Parquet export needs the DuckDB warehouse");
    if (!name.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("a dataset file name must be identifier characters: " + name);
    Path dir = inside(folder, exportRoot);
    Path staging = dir.resolve(".tessera-staging-" + name);
    delete(staging);
    warehouse.execute("COPY (SELECT q.*, " + dayExpression + " AS " + DAY_COLUMN + " FROM (" + query + ") q) TO '"
        + staging.toString().replace("'", "''") + "' (FORMAT PARQUET, PARTITION_BY (" + DAY_COLUMN + "), FILENAME_PATTERN '" + name
        + "_{i}', OVERWRITE_OR_IGNORE true)");
    Pattern own = Pattern.compile(Pattern.quote(name) + "_\\d+\\.parquet");
    try {
      for (Path day : list(dir)) {
        String value = dayOf(day);
        if (value == null || !replacedDay.test(value)) continue;
        for (Path f : list(day)) {
          if (own.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) Files.delete(f);
        }
      }
      int files = 0;
      int days = 0;
      for (Path written : Files.isDirectory(staging) ? list(staging) : List.<Path>of()) {
        String folderName = written.getFileName().toString();
        if (!folderName.startsWith(DAY_COLUMN + "=")) continue;
        Path target = dir.resolve(DAY + "=" + folderName.substring(DAY_COLUMN.length() + 1));
        Files.createDirectories(target);
        inside(target, exportRoot);
        days++;
        for (Path f : list(written)) {
          Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          files++;
        }
      }
      return new Written(folder.toString(), files, days);
    } catch (IOException | UncheckedIOException e) {
      throw new WarehouseException("writing the Parquet dataset " + dir + " failed", e);
    } finally {
      delete(staging);
    }
  }

  /** The folder's value of a day folder ({@code ds=2026-03-01}: {@code 2026-03-01}), or null for any other entry. */
  private static String dayOf(Path p) {
    String n = p.getFileName().toString();
    if (!n.startsWith(DAY + "=") || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return null;
    String v = n.substring(DAY.length() + 1);
    return v.equals(NULL_DAY) ? v : v.matches("\\d{4}-\\d{2}-\\d{2}") ? v : null;
  }

  /** The folder, created, whose real path (links followed) is still inside the export directory. */
  private static Path inside(Path folder, Path exportRoot) {
    try {
      Files.createDirectories(exportRoot);
      Files.createDirectories(folder);
      Path real = folder.toRealPath();
      if (!real.startsWith(exportRoot.toRealPath())) {
        throw new WarehouseException("the Parquet dataset folder " + folder + " leads outside the export directory (a symbolic link)");
      }
      return real;
    } catch (IOException e) {
      throw new WarehouseException("cannot create the Parquet dataset folder " + folder, e);
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      List<Path> out = new ArrayList<>();
      s.forEach(out::add);
      out.sort(Comparator.naturalOrder());
      return out;
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (IOException e) {
      throw new WarehouseException("cannot remove the staging folder " + dir, e);
    }
  }
}
