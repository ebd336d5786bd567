package dev.tessera.batch.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.batch.backfill.BackfillSupport;
import dev.tessera.batch.testing.LakeFiles;
import dev.tessera.batch.testing.Tables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Warehouse tables written out as Parquet datasets in the lake directory, one folder per day, several files each. */
abstract class LakeSupport extends BackfillSupport {
  static final int DAYS = 30;
  static final int FILES_PER_DAY = 4;

  /**
   * The rows of {@code table} written as {@code <lake>/<dataset>/ds=YYYY-MM-DD/part-<i>.parquet}, each row in the
   * folder of its UTC day by {@code timeColumn} (epoch millis) and spread over the files by {@code spreadColumn};
   * rows without a time in {@code <dataset>/undated/part-0.parquet} (no day folder: always read), so that the
   * dataset holds exactly the table's rows.
   */
  Path writeDataset(String table, String dataset, String timeColumn, String spreadColumn) throws IOException {
    Path dir = warehouse.lake().root().resolve(dataset);
    LakeFiles.write(warehouse, table, dir, timeColumn, spreadColumn, FILES_PER_DAY);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM read_parquet('" + dir + "/**/*.parquet', hive_partitioning = false)"))
        .as("the dataset holds the table's rows").isEqualTo(Tables.count(warehouse, "SELECT count(*) FROM " + table));
    return dir;
  }

  /** The purchases of {@code table} as a dataset: by {@code ts}, spread by {@code user_id}. */
  Path writeDataset(String table, String dataset) throws IOException {
    return writeDataset(table, dataset, "ts", "user_id");
  }

  /** Generated purchases in a table and in the dataset of the same name, and the published backfill GroupBy over the dataset. */
  record OnDataset(String table, String name, GroupBy groupBy, List<Map<String, Object>> events) {}

  /** {@code events} purchases of {@code users} users over 30 days, as table {@code <prefix>...} and dataset {@code name/ds=*}. */
  OnDataset publishedOnDataset(String prefix, long seed, int users, int events) throws IOException {
    String table = unique(prefix + "_purchases");
    String name = unique(prefix + "_spend");
    List<Map<String, Object>> rows = generate(table, seed, users, events, JAN_1, JAN_1 + DAYS * DAY);
    writeDataset(table, name);
    GroupBy g = parse(onParquet(windowedGroupBy(name, table), table, name + "/ds=*/*.parquet"));
    publish(g, 1);
    return new OnDataset(table, name, g, rows);
  }

  /** A definition's YAML reading the dataset instead of the table. */
  static String onParquet(String yaml, String table, String dataset) {
    assertThat(yaml).contains("table: " + table + "\n");
    return yaml.replace("table: " + table + "\n", "parquet: " + dataset + "\n");
  }

  /** Rows in one table and not the other, both ways: 0 when the two hold the same rows (as multisets). */
  long difference(String a, String b) {
    return Tables.count(warehouse, "SELECT count(*) FROM ((SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ") UNION ALL (SELECT * FROM "
        + b + " EXCEPT ALL SELECT * FROM " + a + ")) d");
  }
}
