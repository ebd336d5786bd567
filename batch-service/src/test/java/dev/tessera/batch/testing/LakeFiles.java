package dev.tessera.batch.testing;

import dev.tessera.batch.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A table of a DuckDB warehouse written out as a Parquet dataset: one folder per day, several files each. */
public final class LakeFiles {
  private LakeFiles() {}

  /**
   * The rows of {@code table} as {@code <dir>/ds=YYYY-MM-DD/part-<i>.parquet}, each row in the folder of its UTC day by
   * {@code timeColumn} (epoch millis) and spread over {@code filesPerDay} files by {@code spreadColumn}; rows without a
   * time in {@code <dir>/undated/part-0.parquet} (no day folder: always read), so that the dataset holds exactly the
   * table's rows.
   *
   * @param duckDb a DuckDB warehouse holding the table: it writes the files
   */
  public static void write(Warehouse duckDb, String table, Path dir, String timeColumn, String spreadColumn, int filesPerDay) {
    String day = "CAST(epoch_ms(" + timeColumn + ") AS DATE)";
    String spread = "hash(coalesce(CAST(" + spreadColumn + " AS VARCHAR), '')) % " + filesPerDay;
    try {
      for (Map<String, Object> row : Tables.query(duckDb, "SELECT DISTINCT CAST(" + day + " AS VARCHAR) AS d FROM " + table
          + " WHERE " + timeColumn + " IS NOT NULL")) {
        Path folder = dir.resolve("ds=" + row.get("d"));
        Files.createDirectories(folder);
        for (int i = 0; i < filesPerDay; i++) {
          duckDb.execute("COPY (SELECT * FROM " + table + " WHERE " + day + " = DATE '" + row.get("d") + "' AND " + spread + " = " + i
              + ") TO '" + folder.resolve("part-" + i + ".parquet") + "' (FORMAT PARQUET)");
        }
      }
      if (Tables.count(duckDb, "SELECT count(*) FROM " + table + " WHERE " + timeColumn + " IS NULL") > 0) {
        Files.createDirectories(dir.resolve("undated"));
        duckDb.execute("COPY (SELECT * FROM " + table + " WHERE " + timeColumn + " IS NULL) TO '" + dir.resolve("undated/part-0.parquet")
            + "' (FORMAT PARQUET)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Purchases (EventGenerator's) as the dataset {@code dir}, written by a DuckDB of the test's own in {@code scratch}:
   * how a lake looks to a service whose warehouse is PostgreSQL.
   */
  public static void writePurchases(List<Map<String, Object>> rows, Path dir, Path scratch, int filesPerDay) {
    try (Warehouse duckDb = Warehouse.duckDb(scratch.resolve("lake-writer.duckdb"), "256MB", 1, null, 1000)) {
      Tables.createPurchases(duckDb, "purchases");
      Tables.insert(duckDb, "purchases", List.of("user_id", "merchant", "amount", "qty", "currency", "ts"), rows);
      write(duckDb, "purchases", dir, "ts", "user_id", filesPerDay);
    }
  }
}
