package dev.tessera.batch.definitions;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.JoinResolution;
import dev.tessera.support.LiveGroupBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Join version with the GroupBy version each of its parts resolved to when a job was requested.
 * A job records it before its first step, so every step (and every restart) computes with exactly
 * these definitions, whatever the registry publishes or retires meanwhile.
 *
 * @param parts the GroupBy of each part, in part order
 */
public record ResolvedJoin(PublishedJoin join, List<PublishedGroupBy> parts) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public ResolvedJoin {
    parts = List.copyOf(parts);
    if (parts.size() != join.definition().parts().size()) {
      throw new IllegalArgumentException("the Join has " + join.definition().parts().size() + " parts, got " + parts.size() + " GroupBys");
    }
  }

  /** The Join with the GroupBy versions its parts resolved to, as a job records them. */
  public static ResolvedJoin of(JoinResolution resolution) {
    if (!resolution.ok()) throw new IllegalArgumentException("Join " + resolution.name() + " did not resolve: " + resolution.problems());
    return new ResolvedJoin(resolution.published(), resolution.parts().stream().map(LiveGroupBy::published).toList());
  }

  /** The Join compiled against the recorded GroupBys (the same result as when the request was validated). */
  public CompiledJoin compile() {
    return JoinCompiler.compile(join.definition(), recorded()).orThrow();
  }

  /** Resolves each part's GroupBy to the recorded one: by name, and by the part's pinned version when it has one. */
  private GroupByResolver recorded() {
    List<JoinPart> ps = join.definition().parts();
    return (name, version) -> {
      for (int i = 0; i < ps.size(); i++) {
        if (ps.get(i).groupBy().equals(name) && Objects.equals(ps.get(i).version(), version)) {
          PublishedGroupBy p = parts.get(i);
          CompileResult c = GroupByCompiler.compile(p.definition());
          return c.ok() ? new GroupByResolver.Found(p.version(), c.compiled())
              : new GroupByResolver.Missing("GroupBy '" + name + "' version " + p.version() + " does not compile: " + c.problems());
        }
      }
      return new GroupByResolver.Missing("GroupBy '" + name + "' was not recorded with the job");
    };
  }

  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.set("join", join.toTree());
    ArrayNode a = n.putArray("parts");
    parts.forEach(p -> a.add(JSON.readTree(p.toJson())));
    return JSON.writeValueAsString(n);
  }

  public static ResolvedJoin fromJson(String json) {
    JsonNode n = JSON.readTree(json);
    List<PublishedGroupBy> parts = new ArrayList<>();
    n.get("parts").values().forEach(p -> parts.add(PublishedGroupBy.fromTree(p)));
    return new ResolvedJoin(PublishedJoin.fromTree(n.get("join")), parts);
  }
}
