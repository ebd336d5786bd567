package dev.tessera.agg.definition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A feature definition: events of {@code sources}, keyed by {@code keys}, aggregated by
 * {@code aggregations}. The same definition drives backfill, upload, streaming and fetch.
 * Whether it is valid is decided by {@link dev.tessera.agg.compile.GroupByCompiler}, which reports
 * every problem at once; this record only guarantees it is well-formed enough to inspect.
 */
public record GroupBy(String name, String team, String description, boolean online, List<String> keys,
    List<Source> sources, List<Aggregation> aggregations, StreamingConfig streaming) {

  public GroupBy {
    Objects.requireNonNull(name, "name");
    keys = List.copyOf(keys == null ? List.of() : keys);
    sources = List.copyOf(sources == null ? List.of() : sources);
    aggregations = List.copyOf(aggregations == null ? List.of() : aggregations);
    streaming = streaming == null ? StreamingConfig.DEFAULT : streaming;
  }

  /**
   * True when {@code other} computes the same features: same keys, sources and aggregations. A
   * change of name, team, description, online flag or streaming settings does not change the data,
   * so it does not need a new version (DESIGN.md "Versions").
   */
  public boolean sameComputation(GroupBy other) {
    return other != null && keys.equals(other.keys) && sources.equals(other.sources)
        && aggregations.equals(other.aggregations);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Fluent construction for people who define features in code. */
  public static final class Builder {
    private final String name;
    private String team;
    private String description;
    private boolean online;
    private final List<String> keys = new ArrayList<>();
    private final List<Source> sources = new ArrayList<>();
    private final List<Aggregation> aggregations = new ArrayList<>();
    private StreamingConfig streaming = StreamingConfig.DEFAULT;

    private Builder(String name) {
      this.name = name;
    }

    public Builder team(String team) {
      this.team = team;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder online(boolean online) {
      this.online = online;
      return this;
    }

    public Builder keys(String... keys) {
      this.keys.addAll(Arrays.asList(keys));
      return this;
    }

    public Builder source(Source source) {
      sources.add(source);
      return this;
    }

    public Builder aggregation(Aggregation aggregation) {
      aggregations.add(aggregation);
      return this;
    }

    /** Shorthand: {@code aggregate("amount", AVG, "1h", "24h")}; no windows means lifetime. */
    public Builder aggregate(String inputColumn, Operation operation, String... windows) {
      return aggregation(Aggregation.of(inputColumn, operation, windows));
    }

    public Builder streaming(StreamingConfig streaming) {
      this.streaming = streaming;
      return this;
    }

    public GroupBy build() {
      return new GroupBy(name, team, description, online, keys, sources, aggregations, streaming);
    }
  }
}
