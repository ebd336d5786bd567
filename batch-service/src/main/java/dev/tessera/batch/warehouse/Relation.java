package dev.tessera.batch.warehouse;

/**
 * What a definition names for the batch side to read: a warehouse table (or view) or a Parquet
 * dataset in the lake directory (DESIGN.md "The GroupBy definition").
 */
public sealed interface Relation permits TableName, ParquetDataset {

  /** A form for comparisons: two relations with the same key are the same input. */
  String key();

  /**
   * The form a job parameter records: a table's name as it is (jobs recorded before datasets existed
   * hold just that), a dataset's path after {@code parquet:}.
   */
  default String recorded() {
    return switch (this) {
      case TableName t -> t.toString();
      case ParquetDataset d -> d.key();
    };
  }

  /** What a message calls it: "table labels", "Parquet dataset lake/labels". */
  default String named() {
    return this instanceof TableName ? "table " + this : toString();
  }

  /** The relation of {@link #recorded()}. */
  static Relation parse(String recorded) {
    return recorded.startsWith("parquet:") ? new ParquetDataset(recorded.substring("parquet:".length())) : TableName.parse(recorded);
  }
}
