package dev.tessera.batch.upload;

/**
 * {@code POST /api/v1/jobs/upload}: the batch IRs of every entity of an online GroupBy as of
 * {@code date} (batch end = the next midnight UTC), written to Redis.
 *
 * @param force also upload when a later date's upload is already live (it would replace newer data)
 * @param version the GroupBy version to upload; default the live one. A rollout uploads the version
 *     it is about to switch live (DESIGN.md "Version rollout"), so its batch data is there first.
 */
public record UploadRequest(String groupBy, String date, Boolean force, Integer partitions, Long maxRejectedRows,
    Double maxRejectedFraction, Integer version) {

  /** Without a version: the live one. */
  public UploadRequest(String groupBy, String date, Boolean force, Integer partitions, Long maxRejectedRows, Double maxRejectedFraction) {
    this(groupBy, date, force, partitions, maxRejectedRows, maxRejectedFraction, null);
  }
}
