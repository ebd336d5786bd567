package dev.tessera.fetcher.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.fetcher.definitions.JoinDefinitions.ServableJoin;
import dev.tessera.fetcher.fetch.EntityMerger;
import java.util.ArrayList;
import java.util.List;

/**
 * What serving one compiled Join needs, built once per compilation: the request schema, and the
 * GroupBy versions its parts read, each once (two parts on the same GroupBy version, e.g. buyer
 * and seller on a user GroupBy, share their reads and merges).
 */
final class JoinPlan {
  /** A GroupBy version the Join reads, with the merger of its stored bytes. */
  record Group(String groupBy, int version, EntityMerger merger) {}

  final ServableJoin servable;
  final String name;
  final int version;
  final CompiledJoin compiled;
  final JoinRequestSchema schema;
  final List<CompiledPart> parts;
  final String[] partNames;
  /** Part index -> index of its group. */
  final int[] partGroup;
  final List<Group> groups;
  final JoinMetrics metrics;

  JoinPlan(ServableJoin servable, JoinMetrics metrics) {
    this.servable = servable;
    this.name = servable.name();
    this.version = servable.version();
    this.compiled = servable.compiled();
    this.schema = new JoinRequestSchema(compiled);
    this.parts = compiled.parts();
    this.partNames = new String[parts.size()];
    this.partGroup = new int[parts.size()];
    List<Group> g = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      CompiledPart part = parts.get(p);
      partNames[p] = part.name();
      int found = -1;
      for (int i = 0; i < g.size() && found < 0; i++) {
        if (g.get(i).groupBy().equals(part.groupBy().name()) && g.get(i).version() == part.groupByVersion()) found = i;
      }
      if (found < 0) {
        found = g.size();
        g.add(new Group(part.groupBy().name(), part.groupByVersion(), new EntityMerger(part.groupBy())));
      }
      partGroup[p] = found;
    }
    this.groups = List.copyOf(g);
    this.metrics = metrics;
  }
}
