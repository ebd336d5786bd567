package dev.tessera.batch.backfill;

/**
 * {@code POST /api/v1/jobs/backfill}: daily snapshots of a GroupBy for {@code startDate..endDate}
 * (inclusive, yyyy-MM-dd, UTC days).
 *
 * @param parquetPath also export the range to this Parquet file (inside the export directory)
 * @param parquetDataset also write the range as a Parquet dataset in this folder (inside the export directory): one
 *     file per day, {@code ds=YYYY-MM-DD/<groupBy>_v<version>_daily_0.parquet}, replacing the range's files of this output only
 * @param partitions key-hash partitions (default: tessera.batch.partitions)
 * @param maxRejectedRows fail when more rows are rejected (-1: no limit; default tessera.batch.rejects.max-rows)
 * @param maxRejectedFraction fail when a larger fraction of rows is rejected (default tessera.batch.rejects.max-fraction)
 * @param lakeShuffle whether Parquet sources go through the lake shuffle (default: partitions &gt;= tessera.batch.lake-shuffle-min-partitions)
 */
public record BackfillRequest(String groupBy, String startDate, String endDate, String parquetPath, Integer partitions,
    Long maxRejectedRows, Double maxRejectedFraction, String parquetDataset, Boolean lakeShuffle) {

  public BackfillRequest(String groupBy, String startDate, String endDate, String parquetPath, Integer partitions,
      Long maxRejectedRows, Double maxRejectedFraction, String parquetDataset) {
    this(groupBy, startDate, endDate, parquetPath, partitions, maxRejectedRows, maxRejectedFraction, parquetDataset, null);
  }
}
