package dev.tessera.agg.tile;

import dev.tessera.agg.row.RowIr;

/** The IRs of all aggregation columns over the events of {@code [start, start + tileSize)}, unwindowed. */
public record Tile(long start, RowIr ir) {}
