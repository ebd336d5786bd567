package dev.tessera.cli;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the CLI knows of definitions: which kind a document is, and the GroupBys a Join's parts name,
 * taken from the files of the same command line first (so a folder with GroupBys and the Join over
 * them validates before anything is published) and from the registry otherwise.
 */
final class Definitions {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private Definitions() {}

  /** A Join document has {@code parts} or {@code left}; anything else is read as a GroupBy. */
  static boolean isJoin(String document) {
    try {
      JsonNode root = YAML.readTree(document);
      return root != null && root.isObject() && (root.has("parts") || root.has("left"));
    } catch (RuntimeException e) {
      return false;   // unreadable: the GroupBy reader reports why, with the position
    }
  }

  /** The live Join of that name from the registry. */
  static PublishedJoin join(Api api, Endpoints endpoints, String name) {
    return PublishedJoin.fromTree(api.get(endpoints.registry + "/api/v1/joins/" + encode(name)));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Resolves parts from {@code local} (name -> compiled, unpinned parts only), then from the registry. */
  static GroupByResolver resolver(Map<String, CompiledGroupBy> local, Api api, Endpoints endpoints) {
    Map<String, GroupByResolver.Resolution> asked = new HashMap<>();
    return (name, version) -> {
      CompiledGroupBy mine = local.get(name);
      if (mine != null && version == null) return new GroupByResolver.Found(0, mine);
      return asked.computeIfAbsent(name + "@" + version, k -> fromRegistry(api, endpoints, name, version));
    };
  }

  private static GroupByResolver.Resolution fromRegistry(Api api, Endpoints endpoints, String name, Integer version) {
    String url = endpoints.registry + "/api/v1/groupbys/" + encode(name) + (version == null ? "" : "/versions/" + version);
    JsonNode body;
    try {
      body = api.get(url);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return new GroupByResolver.Missing(version == null ? "unknown GroupBy '" + name + "'" : "GroupBy '" + name + "' has no version " + version);
      }
      return new GroupByResolver.Missing("cannot check GroupBy '" + name + "': " + e.getMessage());
    }
    if ("RETIRED".equalsIgnoreCase(body.path("status").asString(""))) return new GroupByResolver.Missing("GroupBy '" + name + "' is retired");
    PublishedGroupBy published = PublishedGroupBy.fromTree(body);
    CompileResult compiled = GroupByCompiler.compile(published.definition());
    if (!compiled.ok()) return new GroupByResolver.Missing("GroupBy '" + name + "' version " + published.version() + " does not compile: " + compiled.problems());
    return new GroupByResolver.Found(published.version(), compiled.compiled());
  }
}
