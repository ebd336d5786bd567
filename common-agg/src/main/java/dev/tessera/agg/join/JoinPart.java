package dev.tessera.agg.join;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One GroupBy of a Join. {@code keyMapping} maps left columns to the GroupBy's keys (every key must
 * be mapped); {@code version} pins one GroupBy version (null: the live version); {@code prefix}
 * names the part's output columns ({@code prefix_feature}), null meaning the GroupBy's name.
 */
public record JoinPart(String groupBy, Integer version, Map<String, String> keyMapping, String prefix) {
  public JoinPart {
    Objects.requireNonNull(groupBy, "groupBy");
    keyMapping = Collections.unmodifiableMap(new LinkedHashMap<>(keyMapping == null ? Map.of() : keyMapping));
  }

  /** What the part's output columns start with: the prefix, or the GroupBy's name without one. */
  public String outputPrefix() {
    return prefix == null || prefix.isBlank() ? groupBy : prefix;
  }

  /** The output column of one of the GroupBy's features: {@code {prefix}_{feature}}. */
  public String outputName(String feature) {
    return outputPrefix() + "_" + feature;
  }
}
