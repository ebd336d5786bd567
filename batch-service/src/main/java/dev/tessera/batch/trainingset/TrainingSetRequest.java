package dev.tessera.batch.trainingset;

/**
 * {@code POST /api/v1/jobs/training-set}: every row of {@code leftTable} (key columns named as the
 * GroupBy's keys, a time column, any label columns) with the GroupBy's features as of that row's
 * time, events strictly before it, written to {@code outputTable} (replaced if it exists).
 *
 * @param timeColumn the left table's time: BIGINT epoch milliseconds or a TIMESTAMP (UTC)
 */
public record TrainingSetRequest(String groupBy, String leftTable, String timeColumn, String outputTable, String parquetPath,
    Integer partitions, Long maxRejectedRows, Double maxRejectedFraction) {}
