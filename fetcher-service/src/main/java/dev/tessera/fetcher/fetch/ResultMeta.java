package dev.tessera.fetcher.fetch;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Where a result came from: the GroupBy version, the batch end of the batch data used (null: none,
 * streaming only), the end of the newest streaming tile before {@code asOf} (null: none), the time
 * the values are as of, and whether the batch data was too old to slide exactly ({@code stale},
 * DESIGN.md "late upload").
 */
public record ResultMeta(
    int version,
    @Schema(description = "batch end B (epoch millis) of the batch data used; null when there was none", nullable = true) Long batchEnd,
    @Schema(description = "end (epoch millis) of the newest streaming tile before asOf; null when there was none", nullable = true) Long latestTileEnd,
    @Schema(description = "the time t the values are as of (events with ts < t)") long asOf,
    @Schema(description = "true when the batch data is a day or more old: windows may cover up to a day too much") boolean stale) {}
