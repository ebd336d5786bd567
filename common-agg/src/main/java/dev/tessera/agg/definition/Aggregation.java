package dev.tessera.agg.definition;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One aggregation of a GroupBy: an operation over an input column, for each of its windows (none
 * means lifetime), optionally bucketed by other columns (one bucketed feature per bucket column).
 */
public record Aggregation(String inputColumn, Operation operation, List<Window> windows,
    List<String> buckets, Map<String, String> args) {

  public Aggregation {
    Objects.requireNonNull(inputColumn, "inputColumn");
    Objects.requireNonNull(operation, "operation");
    windows = List.copyOf(windows == null ? List.of() : windows);
    buckets = List.copyOf(buckets == null ? List.of() : buckets);
    args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  public static Aggregation of(String inputColumn, Operation operation, String... windows) {
    return new Aggregation(inputColumn, operation, Arrays.stream(windows).map(Window::parse).toList(), List.of(), Map.of());
  }

  public boolean isLifetime() {
    return windows.isEmpty();
  }

  public Aggregation withArg(String name, String value) {
    var a = new LinkedHashMap<>(args);
    a.put(name, value);
    return new Aggregation(inputColumn, operation, windows, buckets, a);
  }

  public Aggregation withBuckets(String... bucketColumns) {
    return new Aggregation(inputColumn, operation, windows, List.of(bucketColumns), args);
  }
}
