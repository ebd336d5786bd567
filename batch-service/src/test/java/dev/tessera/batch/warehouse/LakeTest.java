package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files of a Parquet dataset a job reads, and which paths the lake directory refuses (README "Parquet sources"). */
class LakeTest {
  @TempDir
  Path dir;

  private static long millis(String day) {
    return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private void touch(String relative) throws IOException {
    Path f = dir.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "x");
  }

  @Test
  void aDayFolderIsPlainOrHiveStyleAndTheNearestOneCounts() {
    assertThat(Lake.dayOf(Path.of("p/ds=2026-03-01/part-0.parquet"))).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(Lake.dayOf(Path.of("p/2026-03-01/part-0.parquet"))).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(Lake.dayOf(Path.of("p/2026-03-01/2026-03-02/a.parquet"))).isEqualTo(LocalDate.of(2026, 3, 2));
    assertThat(Lake.dayOf(Path.of("p/2026-13-45/a.parquet"))).as("not a date").isNull();
    assertThat(Lake.dayOf(Path.of("p/2026-03-01.parquet"))).as("file names are not day folders").isNull();
  }

  @Test
  void onlyTheDaysThatOverlapTheRangeAreRead() throws IOException {
    for (String day : new String[] {"2026-03-01", "2026-03-02", "2026-03-03"}) {
      touch("p/ds=" + day + "/a.parquet");
      touch("p/ds=" + day + "/b.parquet");
    }
    touch("p/undated/c.parquet");
    Lake lake = new Lake(dir);
    ParquetDataset all = new ParquetDataset("p");
    assertThat(lake.files(all)).hasSize(7);
    assertThat(lake.files(all, millis("2026-03-02"), millis("2026-03-03")))
        .extracting(f -> dir.relativize(f).toString())
        .containsExactly("p/ds=2026-03-02/a.parquet", "p/ds=2026-03-02/b.parquet", "p/undated/c.parquet");
    assertThat(lake.files(new ParquetDataset("p/ds=*/a.parquet"), null, millis("2026-03-02") + 1)).hasSize(2);
    assertThat(lake.scan(all, new dev.tessera.agg.row.RowSchema(java.util.Map.of()), millis("2026-03-02"), millis("2026-03-03")))
        .startsWith("read_parquet(['" + dir).contains("union_by_name = true");
  }

  @Test
  void theJobsShuffleSpillIsNeverPartOfADataset() throws IOException {
    touch("a/part-0.parquet");
    touch(Lake.SHUFFLE_FOLDER + "/job-7/source-0/scatter-0/__tessera_bucket=1/data_0.parquet");
    Lake lake = new Lake(dir);
    assertThat(lake.files(new ParquetDataset("."))).extracting(f -> dir.relativize(f).toString()).containsExactly("a/part-0.parquet");
    assertThat(lake.files(new ParquetDataset("**/*.parquet"))).extracting(f -> dir.relativize(f).toString()).containsExactly("a/part-0.parquet");
  }

  @Test
  void aPathOutsideTheLakeDirectoryIsRefused() {
    Lake lake = new Lake(dir.resolve("lake"));
    assertThatThrownBy(() -> lake.files(new ParquetDataset("/etc/*.parquet"))).hasMessageContaining("outside the lake directory");
    assertThatThrownBy(() -> new ParquetDataset("../x")).hasMessageContaining("'..' segment");
  }

  @Test
  void aSymbolicLinkOutOfTheLakeDirectoryIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("lake/p"));
    touch("secret/s.parquet");
    Files.createSymbolicLink(dir.resolve("lake/p/s.parquet"), dir.resolve("secret/s.parquet"));
    assertThatThrownBy(() -> new Lake(dir.resolve("lake")).files(new ParquetDataset("p"))).hasMessageContaining("links outside the lake directory");
  }
}
