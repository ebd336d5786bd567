package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a Parquet dataset output goes and which files a re-run replaces (README "Parquet datasets out"). */
class ParquetDatasetExportTest {
  @TempDir
  Path dir;
  Warehouse warehouse;

  @BeforeEach
  void open() {
    warehouse = Warehouse.duckDb(Path.of("target/unit-warehouses/" + UUID.randomUUID() + ".duckdb"), "256MB", 1, null, 100);
  }

  @AfterEach
  void close() {
    warehouse.close();
  }

  /** Rows {@code n} of days Jan 1 + (n % days), one without a day. */
  private static String rows(int n, int days) {
    return "SELECT i AS x, CASE WHEN i = 0 THEN NULL ELSE DATE '2024-01-01' + CAST(i % " + days + " AS INTEGER) END AS ds FROM range(" + n + ") r(i)";
  }

  private List<String> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).map(f -> folder.relativize(f).toString()).sorted().toList();
    }
  }

  @Test
  void oneFilePerDayAndARerunReplacesOnlyItsOwnFilesOfTheDaysItCovers() throws IOException {
    Path root = dir.resolve("exports");
    Path out = root.resolve("daily");
    ParquetDatasetExport.Written first = ParquetDatasetExport.export(warehouse, rows(30, 3), "ds", out, root, "snap", day -> true);
    assertThat(first.files()).isEqualTo(4);
    assertThat(files(out)).containsExactly("ds=2024-01-01/snap_0.parquet", "ds=2024-01-02/snap_0.parquet", "ds=2024-01-03/snap_0.parquet",
        "ds=__HIVE_DEFAULT_PARTITION__/snap_0.parquet");
    Files.writeString(out.resolve("ds=2024-01-02/other_0.parquet"), "another output's file");
    Files.writeString(out.resolve("ds=2024-01-03/snap_7.parquet"), "an old file of this output, of a day the next run covers");
    Files.writeString(out.resolve("ds=2024-01-01/snap_7.parquet"), "an old file of this output, of a day the next run does not cover");

    // Only day 2024-01-02 and 2024-01-03 covered; the new rows have no 2024-01-03.
    ParquetDatasetExport.export(warehouse, "SELECT * FROM (" + rows(30, 3) + ") WHERE ds = DATE '2024-01-02'", "ds", out, root, "snap",
        day -> day.equals("2024-01-02") || day.equals("2024-01-03"));
    assertThat(files(out)).containsExactly("ds=2024-01-01/snap_0.parquet", "ds=2024-01-01/snap_7.parquet", "ds=2024-01-02/other_0.parquet",
        "ds=2024-01-02/snap_0.parquet", "ds=__HIVE_DEFAULT_PARTITION__/snap_0.parquet");
    assertThat(count("'" + out + "/ds=2024-01-02/snap_0.parquet'")).isEqualTo(10);
  }

  @Test
  void aFolderThatLinksOutOfTheExportDirectoryIsRefusedAndNothingIsWrittenThere() throws IOException {
    Path root = dir.resolve("exports");
    Path elsewhere = dir.resolve("elsewhere");
    Files.createDirectories(root);
    Files.createDirectories(elsewhere);
    Files.createSymbolicLink(root.resolve("out"), elsewhere);
    assertThatThrownBy(() -> ParquetDatasetExport.export(warehouse, rows(10, 2), "ds", root.resolve("out"), root, "snap", day -> true))
        .hasMessageContaining("leads outside the export directory");
    assertThat(files(elsewhere)).isEmpty();
  }

  private long count(String files) {
    try (var c = warehouse.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM read_parquet(" + files + ")")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
