package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.definition.DurationSpec;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.StoredVersion;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code GET /api/v1/groupbys/{name}} and of one version: the {@code PublishedGroupBy}
 * record of the registry topic ({@code name, version, publishedAt, publishedBy, definition}), its
 * status, and what the definition compiles to (features, tile size, hops).
 */
public record GroupByView(
    String name,
    int version,
    Instant publishedAt,
    String publishedBy,
    @Schema(type = "object", description = "The GroupBy document (DESIGN.md definition format)") JsonNode definition,
    DefinitionStatus status,
    int latestVersion,
    Instant updatedAt,
    String updatedBy,
    List<FeatureView> features,
    @Schema(example = "5m") String tileSize,
    long tileSizeMillis,
    @Schema(description = "hop of every window, e.g. {\"1h\": \"5m\", \"7d\": \"1h\"}") Map<String, String> hops) {

  /** One output feature: {@code amount_avg_1h: DOUBLE over 1h}; window null = lifetime. */
  public record FeatureView(String name, String type, String window) {}

  public static GroupByView of(DefinitionSummary summary, StoredVersion<GroupBy> v, CompiledGroupBy compiled) {
    return new GroupByView(v.name(), v.version(), v.publishedAt(), v.publishedBy(), GroupByWriter.toTree(v.definition()),
        summary.status(), summary.latestVersion(), v.updatedAt(), v.updatedBy(), features(compiled), tileSize(compiled),
        compiled.tileSize(), hops(compiled));
  }

  /** Hop of every window spec, as durations: {@code {1h: 5m, 7d: 1h}}. */
  public static Map<String, String> hops(CompiledGroupBy compiled) {
    Map<String, String> hops = new LinkedHashMap<>();
    compiled.hops().forEach((w, hop) -> hops.put(w, DurationSpec.format(Duration.ofMillis(hop))));
    return hops;
  }

  public static String tileSize(CompiledGroupBy compiled) {
    return DurationSpec.format(Duration.ofMillis(compiled.tileSize()));
  }

  public static List<FeatureView> features(CompiledGroupBy compiled) {
    return compiled.features().stream().map(GroupByView::feature).toList();
  }

  private static FeatureView feature(Feature f) {
    return new FeatureView(f.name(), f.type().spec(), f.isLifetime() ? null : f.window().spec());
  }
}
