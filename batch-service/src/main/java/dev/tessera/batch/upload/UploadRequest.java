package dev.tessera.batch.upload;

/**
 * {@code POST /api/v1/jobs/upload}: the batch IRs of every entity of an online GroupBy as of
 * {@code date} (batch end = the next midnight UTC), written to Redis.
 *
 * @param force also upload when a later date's upload is already live (it would replace newer data)
 */
public record UploadRequest(String groupBy, String date, Boolean force, Integer partitions, Long maxRejectedRows,
    Double maxRejectedFraction) {}
