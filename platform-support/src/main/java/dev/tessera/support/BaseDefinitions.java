package dev.tessera.support;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;

/** What every source of definitions shares: the compiled cache, and Join resolution over its own GroupBy lookups. */
abstract class BaseDefinitions implements Definitions {
  final CompiledCache cache;
  final JoinResolver joins = new JoinResolver(this);

  BaseDefinitions(CompiledCache cache) {
    this.cache = cache;
  }

  @Override
  public final JoinResolution resolve(PublishedJoin join) {
    return joins.resolve(join);
  }

  @Override
  public final CompiledGroupBy compile(PublishedGroupBy published) {
    return cache.live(published).compiled();
  }
}
