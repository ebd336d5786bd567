package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.registry.definition.DefinitionRegistry;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DependentsGuard;
import dev.tessera.registry.definition.PublishContext;
import dev.tessera.registry.definition.StoredVersion;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registers, versions, retires and publishes GroupBys ({@link DefinitionRegistry}), and compares
 * their versions.
 */
public final class GroupByRegistry extends DefinitionRegistry<GroupBy, CompiledGroupBy> {

  public GroupByRegistry(DefinitionRepository<GroupBy> repository, PublishContext context, List<DependentsGuard> guards) {
    super(GroupByType.INSTANCE, repository, context, guards);
  }

  /** The GroupBy tables. */
  public static DefinitionRepository<GroupBy> repository(JdbcClient jdbc) {
    return new DefinitionRepository<>(jdbc, GroupByType.INSTANCE);
  }

  /** The diff between two versions; defaults: the latest version against the one before it. */
  public DefinitionDiff diff(String name, Integer from, Integer to) {
    DefinitionSummary s = summary(name);
    int t = to == null ? s.latestVersion() : to;
    int f = from == null ? Math.max(1, t - 1) : from;
    StoredVersion<GroupBy> a = version(name, f);
    StoredVersion<GroupBy> b = version(name, t);
    return DefinitionDiff.between(name, f, a.definition(), t, b.definition());
  }

  /** Compiles a stored definition (for features, tile size and hops). */
  public static CompiledGroupBy compile(StoredVersion<GroupBy> v) {
    CompileResult r = GroupByCompiler.compile(v.definition());
    if (!r.ok()) {
      throw new IllegalStateException("stored GroupBy " + v.name() + " v" + v.version() + " no longer compiles: " + r.problems());
    }
    return r.compiled();
  }
}
