package dev.tessera.batch.consistency;

/**
 * {@code POST /api/v1/jobs/consistency}: every logged fetch of {@code groupBy}, or every logged row of
 * the Join {@code join} (exactly one of the two), whose t lies in {@code [startDate, endDate]} (UTC
 * days, inclusive) recomputed at t from the warehouse and compared column by column with what was served.
 *
 * @param logTable the ingested feature log (default {@code tessera.batch.consistency.log-table}); a Join's rows are in
 *     {@code <logTable>_joins}
 * @param deadLetterTable the ingested dead letters (default {@code tessera.batch.consistency.dead-letter-table})
 */
public record ConsistencyRequest(String groupBy, String startDate, String endDate, String logTable, String deadLetterTable,
    Integer partitions, Long maxRejectedRows, Double maxRejectedFraction, String join) {

  /** A GroupBy's request. */
  public ConsistencyRequest(String groupBy, String startDate, String endDate, String logTable, String deadLetterTable,
      Integer partitions, Long maxRejectedRows, Double maxRejectedFraction) {
    this(groupBy, startDate, endDate, logTable, deadLetterTable, partitions, maxRejectedRows, maxRejectedFraction, null);
  }

  boolean isJoin() {
    return join != null;
  }
}
