package dev.tessera.fetcher.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.fetcher.fetch.PartPlan;
import dev.tessera.support.JoinResolution;
import java.util.List;

/**
 * What serving one compiled Join needs, built once per compilation: the request schema, and the
 * read plan of its parts ({@link PartPlan}, the GroupBy fetch's planner: each GroupBy version read
 * once, two parts on the same version sharing their reads and merges).
 */
final class JoinPlan {
  final JoinResolution servable;
  final String name;
  final int version;
  final CompiledJoin compiled;
  final JoinRequestSchema schema;
  final List<CompiledPart> parts;
  final String[] partNames;
  final PartPlan reads;
  final JoinMetrics metrics;

  JoinPlan(JoinResolution servable, JoinMetrics metrics) {
    this.servable = servable;
    this.name = servable.name();
    this.version = servable.version();
    this.compiled = servable.compiled();
    this.schema = new JoinRequestSchema(compiled);
    this.parts = compiled.parts();
    this.partNames = parts.stream().map(CompiledPart::name).toArray(String[]::new);
    this.reads = PartPlan.of(parts);
    this.metrics = metrics;
  }
}
