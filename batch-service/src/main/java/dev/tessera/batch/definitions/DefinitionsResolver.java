package dev.tessera.batch.definitions;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.LiveGroupBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a Join's parts against the batch service's GroupBy definitions: the live version for a
 * part without a version, the pinned version otherwise (the live one when it is that version, else
 * wherever the definitions keep older versions). Remembers what it resolved, so that a job can record
 * exactly those versions ({@link #resolved}). One instance per request.
 */
public final class DefinitionsResolver implements GroupByResolver {
  private final GroupByDefinitions definitions;
  private final Map<String, PublishedGroupBy> found = new ConcurrentHashMap<>();

  public DefinitionsResolver(GroupByDefinitions definitions) {
    this.definitions = definitions;
  }

  @Override
  public Resolution resolve(String name, Integer version) {
    Optional<LiveGroupBy> live = definitions.find(name);
    if (version == null) {
      if (live.isEmpty()) return new Missing("unknown GroupBy '" + name + "' (no live version in " + definitions.description() + ")");
      found.put(key(name, null), live.get().published());
      return new Found(live.get().version(), live.get().compiled());
    }
    if (live.isPresent() && live.get().version() == version) {
      found.put(key(name, version), live.get().published());
      return new Found(version, live.get().compiled());
    }
    Optional<PublishedGroupBy> pinned = definitions.version(name, version);
    if (pinned.isEmpty()) {
      return new Missing(live.isEmpty() ? "unknown GroupBy '" + name + "' (no version " + version + " in " + definitions.description() + ")"
          : "GroupBy '" + name + "' has no version " + version + " (live: " + live.get().version() + ")");
    }
    CompileResult c = GroupByCompiler.compile(pinned.get().definition());
    if (!c.ok()) return new Missing("GroupBy '" + name + "' version " + version + " does not compile: " + c.problems());
    found.put(key(name, version), pinned.get());
    return new Found(version, c.compiled());
  }

  /** The Join with the GroupBy version each part of {@code compiled} resolved to through this resolver. */
  public ResolvedJoin resolved(PublishedJoin join, CompiledJoin compiled) {
    List<PublishedGroupBy> parts = new ArrayList<>();
    for (CompiledPart p : compiled.parts()) {
      PublishedGroupBy g = found.get(key(p.part().groupBy(), p.part().version()));
      if (g == null || g.version() != p.groupByVersion()) {
        throw new IllegalStateException("part " + p.index() + " (" + p.part().groupBy() + ") was not resolved through this resolver");
      }
      parts.add(g);
    }
    return new ResolvedJoin(join, parts);
  }

  private static String key(String name, Integer version) {
    return name + "@" + version;
  }
}
