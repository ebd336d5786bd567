package dev.tessera.stream.it;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.StreamingConfig;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.support.LiveGroupBy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** GroupBys and events shared by the integration tests and the benchmark. */
public final class Fixtures {
  public static final JsonMapper JSON = JsonMapper.builder().build();

  private Fixtures() {}

  /**
   * Purchases per user: SUM, COUNT and AVG of amount over 1h, 24h and 7d (3 windows x 3
   * operations), USD only. {@code allowedLateness} decides which out-of-order events are late.
   */
  public static GroupBy purchases(String name, String topic, Duration allowedLateness) {
    return GroupBy.builder(name).online(true).keys("user_id")
        .source(EventSource.builder().table("purchases").topic(topic)
            .column("user_id", "STRING").column("merchant", "STRING").column("amount", "DOUBLE").column("qty", "LONG")
            .column("currency", "STRING").column("ts", "LONG")
            .where("currency == \"USD\"").timeColumn("ts").build())
        .aggregate("amount", Operation.SUM, "1h", "24h", "7d")
        .aggregate("amount", Operation.COUNT, "1h", "24h", "7d")
        .aggregate("amount", Operation.AVG, "1h", "24h", "7d")
        .streaming(new StreamingConfig(Duration.ofMinutes(5), allowedLateness))
        .build();
  }

  /** The same GroupBy under another name, reading another topic (so tests never share keys or topics). */
  public static GroupBy renamed(GroupBy g, String name, String topic) {
    List<dev.tessera.agg.definition.Source> sources = new ArrayList<>();
    for (var s : g.sources()) {
      EventSource e = (EventSource) s;
      sources.add(new EventSource(e.table(), topic, e.schema(), e.query()));
    }
    return new GroupBy(name, g.team(), g.description(), g.online(), g.keys(), sources, g.aggregations(), g.streaming());
  }

  public static LiveGroupBy live(GroupBy g, int version) {
    return new LiveGroupBy(new PublishedGroupBy(g.name(), version, g, Instant.parse("2026-01-01T00:00:00Z"), "test"),
        GroupByCompiler.compile(g).orThrow());
  }

  /** Generated purchases, sorted by event time. */
  public static List<Map<String, Object>> events(long seed, int users, int count, long from, long to) {
    List<Map<String, Object>> events = new ArrayList<>(new EventGenerator(seed).purchases(users, count, from, to));
    events.sort(Comparator.comparingLong(e -> (Long) e.get("ts")));
    return events;
  }

  /** (user_id, JSON) records: keyed by entity, so one entity's events stay in order on one partition. */
  public static List<Map.Entry<String, String>> records(List<Map<String, Object>> events) {
    return events.stream().map(e -> Map.entry(String.valueOf(e.get("user_id")), JSON.writeValueAsString(e))).toList();
  }
}
