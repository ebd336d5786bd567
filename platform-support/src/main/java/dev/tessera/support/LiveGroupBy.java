package dev.tessera.support;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;

/** A published GroupBy version that is live (not retired), with its compiled form. */
public record LiveGroupBy(PublishedGroupBy published, CompiledGroupBy compiled) {
  public String name() {
    return published.name();
  }

  public int version() {
    return published.version();
  }
}
