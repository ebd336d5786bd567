package dev.tessera.batch.consistency;

/**
 * {@code POST /api/v1/jobs/consistency}: every logged fetch of {@code groupBy} whose t lies in
 * {@code [startDate, endDate]} (UTC days, inclusive) recomputed at t from the warehouse and compared
 * feature by feature with what was served.
 *
 * @param logTable the ingested feature log (default {@code tessera.batch.consistency.log-table})
 * @param deadLetterTable the ingested dead letters (default {@code tessera.batch.consistency.dead-letter-table})
 */
public record ConsistencyRequest(String groupBy, String startDate, String endDate, String logTable, String deadLetterTable,
    Integer partitions, Long maxRejectedRows, Double maxRejectedFraction) {}
