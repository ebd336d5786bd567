package dev.tessera.registry.join;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.StoredVersion;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The GroupBys a Join names, as the registry's own store has them (DESIGN-joins.md): a part without
 * a version gets the live version (the latest version of an active GroupBy), a pinned part that
 * version; a retired GroupBy is missing whatever the version. One instance serves one validation
 * (it remembers what it compiled); inside a transaction it reads what the transaction sees.
 */
final class StoredGroupBys implements GroupByResolver {
  private final DefinitionRepository<GroupBy> groupBys;
  private final Map<String, Resolution> seen = new HashMap<>();

  StoredGroupBys(DefinitionRepository<GroupBy> groupBys) {
    this.groupBys = groupBys;
  }

  /**
   * Locks the rows of these GroupBys until the transaction ends, in name order (so two writers
   * cannot deadlock): none of them can be retired or changed before the Join that reads them is
   * committed, and a retirement that got there first is seen.
   */
  void lock(Collection<String> names) {
    names.stream().distinct().sorted().forEach(groupBys::lock);
  }

  @Override
  public Resolution resolve(String name, Integer version) {
    return seen.computeIfAbsent(name + "@" + version, k -> lookUp(name, version));
  }

  private Resolution lookUp(String name, Integer version) {
    Optional<DefinitionSummary> summary = groupBys.find(name);
    if (summary.isEmpty()) return new Missing("unknown GroupBy '" + name + "'");
    DefinitionSummary s = summary.get();
    if (s.status() == DefinitionStatus.RETIRED) {
      return new Missing("GroupBy '" + name + "' is retired; publish it again, or use another GroupBy");
    }
    int v = version == null ? s.latestVersion() : version;
    Optional<StoredVersion<GroupBy>> stored = groupBys.version(name, v);
    if (stored.isEmpty()) {
      return new Missing("GroupBy '" + name + "' has no version " + v + " (versions 1 to " + s.latestVersion() + " exist)");
    }
    CompileResult compiled = GroupByCompiler.compile(stored.get().definition());
    if (!compiled.ok()) return new Missing("GroupBy '" + name + "' version " + v + " no longer compiles: " + compiled.problems());
    return new Found(v, compiled.compiled());
  }
}
