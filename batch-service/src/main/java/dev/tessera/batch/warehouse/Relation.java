package dev.tessera.batch.warehouse;

/**
 * What a definition names for the batch side to read: a warehouse table (or view) or a Parquet
 * dataset in the lake directory (DESIGN.md "The GroupBy definition").
 */
public sealed interface Relation permits TableName, ParquetDataset {

  /** A form for comparisons: two relations with the same key are the same input. */
  String key();
}
