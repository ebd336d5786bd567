package dev.tessera.registry.join;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.Derivation;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.JoinWriter;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.StoredVersion;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code GET /api/v1/joins/{name}} and of one version: the {@link PublishedJoin} record
 * of the registry topic ({@code kind, name, version, publishedAt, publishedBy, definition}), its
 * status, and what it is now, compiled against the GroupBys as the registry has them: the GroupBy
 * version each part resolves to, the left columns a fetch must give, and every output column
 * with its type. {@code valid} is false (with {@code problems}) when the Join no longer compiles
 * against them, e.g. when a GroupBy it follows dropped a feature a derivation reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JoinView(
    String kind,
    String name,
    int version,
    Instant publishedAt,
    String publishedBy,
    @Schema(type = "object", description = "The Join document (DESIGN-joins.md definition format)") JsonNode definition,
    DefinitionStatus status,
    int latestVersion,
    Instant updatedAt,
    String updatedBy,
    boolean valid,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LocatedProblem> problems,
    @Schema(description = "left columns an online request must hold for the parts' keys") List<String> keyColumns,
    List<PartView> parts,
    @Schema(description = "every output column in fetch order: request fields, the parts' features, derivations") List<ColumnView> columns) {

  /**
   * One part: its GroupBy, the version it resolves to now ({@code resolvedVersion}; null with
   * {@code problem} when it does not resolve) and the one it resolved to when this Join version
   * was published ({@code publishedWith}); {@code pinnedVersion} null = it follows the live version.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PartView(int index, String name, String groupBy, Integer pinnedVersion, Integer resolvedVersion, Integer publishedWith,
      String problem, Map<String, String> keyMapping, String prefix, List<String> features) {}

  /** One output column: {@code kind} REQUEST, FEATURE (from {@code part}'s {@code feature}) or DERIVED (by {@code expression}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ColumnView(String name, String type, OutputColumn.Kind kind, String part, String feature, String expression) {}

  /**
   * @param compiled the Join compiled against the GroupBys now, or null when it does not compile
   * @param problems why it does not compile (empty when it does)
   * @param now the GroupBys now, for the parts of a Join that does not compile
   * @param atPublish the GroupBy versions its parts had when the version was published
   */
  static JoinView of(DefinitionSummary summary, StoredVersion<Join> v, CompiledJoin compiled, List<LocatedProblem> problems,
      GroupByResolver now, List<JoinParts.Stored> atPublish) {
    return new JoinView(PublishedJoin.KIND, v.name(), v.version(), v.publishedAt(), v.publishedBy(), JoinWriter.toTree(v.definition()),
        summary.status(), summary.latestVersion(), v.updatedAt(), v.updatedBy(), compiled != null, problems,
        keyColumns(v.definition(), compiled), parts(v.definition(), compiled, now, atPublish), columns(compiled));
  }

  /** The left columns the parts map to GroupBy keys, in order of first use. */
  public static List<String> keyColumns(Join join, CompiledJoin compiled) {
    if (compiled != null) return List.copyOf(compiled.keyColumns());
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    join.parts().forEach(p -> keys.addAll(p.keyMapping().keySet()));
    return List.copyOf(keys);
  }

  public static List<PartView> parts(Join join, CompiledJoin compiled, GroupByResolver now, List<JoinParts.Stored> atPublish) {
    List<PartView> out = new ArrayList<>();
    for (int i = 0; i < join.parts().size(); i++) {
      JoinPart p = join.parts().get(i);
      CompiledPart cp = compiled == null ? null : compiled.parts().get(i);
      Integer resolved = null;
      String problem = null;
      if (cp != null) {
        resolved = cp.groupByVersion();
      } else if (now.resolve(p.groupBy(), p.version()) instanceof GroupByResolver.Found f) {
        resolved = f.version();
      } else if (now.resolve(p.groupBy(), p.version()) instanceof GroupByResolver.Missing m) {
        problem = m.reason();
      }
      int index = i;
      Integer publishedWith = atPublish.stream().filter(s -> s.index() == index).map(JoinParts.Stored::resolvedVersion)
          .findFirst().orElse(null);
      List<String> features = cp == null ? List.of() : cp.features().stream().map(OutputColumn::name).toList();
      out.add(new PartView(i, p.outputPrefix(), p.groupBy(), p.version(), resolved, publishedWith, problem, p.keyMapping(), p.prefix(),
          features));
    }
    return out;
  }

  public static List<ColumnView> columns(CompiledJoin compiled) {
    if (compiled == null) return List.of();
    List<ColumnView> out = new ArrayList<>();
    for (OutputColumn c : compiled.outputColumns()) {
      String part = c.kind() == OutputColumn.Kind.FEATURE ? compiled.parts().get(c.part()).name() : null;
      String expression = c.kind() != OutputColumn.Kind.DERIVED ? null : compiled.definition().derivations().stream()
          .filter(d -> d.name().equals(c.name())).map(Derivation::expression).findFirst().orElse(null);
      out.add(new ColumnView(c.name(), c.type().spec(), c.kind(), part, c.feature(), expression));
    }
    return out;
  }
}
