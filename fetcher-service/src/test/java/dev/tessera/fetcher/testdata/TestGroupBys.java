package dev.tessera.fetcher.testdata;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** GroupBys (and Joins) under names no other test (or module) uses, so tests never share Redis keys. */
public final class TestGroupBys {
  private static final Instant PUBLISHED_AT = Instant.parse("2026-11-25T12:00:00Z");

  private TestGroupBys() {}

  /** {@code prefix_} plus 8 random lowercase letters and digits: a valid, unused GroupBy name. */
  public static String uniqueName(String prefix) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(prefix).append('_');
    for (int i = 0; i < 8; i++) sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    return sb.toString();
  }

  public static CompiledGroupBy renamed(GroupBy definition, String name) {
    GroupBy d = definition;
    return GroupByCompiler.compile(new GroupBy(name, d.team(), d.description(), d.online(), d.keys(), d.sources(), d.aggregations(),
        d.streaming())).orThrow();
  }

  public static PublishedGroupBy published(CompiledGroupBy g, int version) {
    return new PublishedGroupBy(g.name(), version, g.definition(), PUBLISHED_AT, "it");
  }

  public static PublishedJoin published(Join j, int version) {
    return new PublishedJoin(j.name(), version, j, PUBLISHED_AT, "it");
  }
}
