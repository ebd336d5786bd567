package dev.tessera.agg.join;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Unit-test helper only (no registry behind it): a {@link GroupByResolver} over GroupBys held in
 * memory. Each GroupBy may have several versions (the highest is the live one) and may be retired.
 */
final class UnitTestGroupBys implements GroupByResolver {
  private final Map<String, TreeMap<Integer, CompiledGroupBy>> versions = new HashMap<>();
  private final Set<String> retired = new HashSet<>();

  /** Each GroupBy at version 1. */
  static UnitTestGroupBys of(Map<String, CompiledGroupBy> groupBys) {
    UnitTestGroupBys r = new UnitTestGroupBys();
    groupBys.forEach((name, g) -> r.add(name, 1, g));
    return r;
  }

  /** A resolver of GroupBy documents (JSON or YAML), each compiled, at version 1. */
  static UnitTestGroupBys ofDocuments(String... documents) {
    UnitTestGroupBys r = new UnitTestGroupBys();
    for (String d : documents) {
      CompiledGroupBy g = GroupByCompiler.compile(d).orThrow();
      r.add(g.name(), 1, g);
    }
    return r;
  }

  UnitTestGroupBys add(String name, int version, CompiledGroupBy g) {
    versions.computeIfAbsent(name, n -> new TreeMap<>()).put(version, g);
    return this;
  }

  UnitTestGroupBys retire(String name) {
    retired.add(name);
    return this;
  }

  @Override
  public Resolution resolve(String name, Integer version) {
    TreeMap<Integer, CompiledGroupBy> all = versions.get(name);
    if (all == null) return new Missing("unknown GroupBy '" + name + "'");
    if (retired.contains(name)) return new Missing("GroupBy '" + name + "' is retired");
    if (version == null) return new Found(all.lastKey(), all.lastEntry().getValue());
    CompiledGroupBy g = all.get(version);
    return g == null ? new Missing("GroupBy '" + name + "' has no version " + version) : new Found(version, g);
  }
}
