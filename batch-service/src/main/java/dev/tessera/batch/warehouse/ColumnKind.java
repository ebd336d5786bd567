package dev.tessera.batch.warehouse;

import dev.tessera.agg.definition.DataType;

/**
 * The column types the service writes. Feature values map onto them: integral values to BIGINT,
 * floating to DOUBLE, strings to TEXT, booleans to BOOLEAN, and lists and maps (bucketed features,
 * LAST_K, HISTOGRAM...) to JSON text, the one form every warehouse and Parquet reader understands.
 */
public enum ColumnKind {
  BIGINT, INTEGER, DOUBLE, TEXT, BOOLEAN, DATE, JSON;

  public static ColumnKind of(DataType type) {
    if (type.isIntegral()) return BIGINT;
    if (type == DataType.Primitive.FLOAT || type == DataType.Primitive.DOUBLE) return DOUBLE;
    if (type == DataType.Primitive.STRING) return TEXT;
    if (type == DataType.Primitive.BOOLEAN) return BOOLEAN;
    return JSON;
  }
}
