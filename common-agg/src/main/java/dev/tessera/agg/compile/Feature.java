package dev.tessera.agg.compile;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Window;

/**
 * One output value of a GroupBy: {@code amount_avg_1h}, {@code amount_sum_7d_by_merchant},
 * {@code merchant_last_k}. {@code window} is null for lifetime; {@code type} is the type of the
 * value (a MAP of the per-bucket type when bucketed).
 */
public record Feature(String name, int column, Window window, DataType type) {
  public boolean isLifetime() {
    return window == null;
  }

  /** {@code {inputColumn}_{operation}[_{window}][_by_{bucket}]} (DESIGN.md). */
  static String name(String inputColumn, String operation, Window window, String bucket) {
    return inputColumn + "_" + operation + (window == null ? "" : "_" + window.spec()) + (bucket == null ? "" : "_by_" + bucket);
  }
}
