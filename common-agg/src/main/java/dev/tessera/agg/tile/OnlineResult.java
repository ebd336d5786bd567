package dev.tessera.agg.tile;

import java.util.Map;

/**
 * Feature values of one entity as of {@code asOf}, with where they came from: the batch end of
 * the batch IR used (null when there was none), the end of the newest streaming tile (null when
 * there were none) and whether the batch IR was too old to slide exactly ({@code stale}).
 */
public record OnlineResult(Map<String, Object> features, long asOf, Long batchEnd, Long latestTileEnd, boolean stale) {}
