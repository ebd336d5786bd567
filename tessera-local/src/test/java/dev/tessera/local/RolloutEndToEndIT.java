package dev.tessera.local;

import static dev.tessera.local.TestEvents.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.support.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A new version of a GroupBy with history, published while fetches and live events run (issue 19,
 * DESIGN.md "Version rollout"): no response carries the new version before the registry switches it
 * live, the old version's values keep moving until then, the first responses of the new version are
 * already complete (exact against an oracle over every event), and the consistency job over the
 * period reports nothing unexplained.
 */
class RolloutEndToEndIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  private static final int USERS = 20;

  private final String name = "roll_e2e_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String topic = name + "_purchases";

  /** One fetch result as the load saw it: when it came back, which version answered, its values. */
  private record Seen(long at, int version, String status, String user, Map<String, Object> features) {}

  @Test
  void theNewVersionIsServedOnlyOnceItsDataIsCompleteAndNothingIsUnexplained() throws Exception {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    long midnight = yesterday.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    String v1 = TestEvents.purchasesGroupBy(name, topic);
    // a computation change: one more window
    String v2 = v1.replace("{inputColumn: amount, operation: SUM, windows: [1h]}", "{inputColumn: amount, operation: SUM, windows: [1h, 6h]}");
    assertThat(v2).isNotEqualTo(v1);

    Random r = new Random(19);
    List<Map<String, Object>> history = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < 10; i++) history.add(TestEvents.purchase(u, midnight - 3 * DAY + (long) (r.nextDouble() * 3 * DAY), r));
    }
    history.sort(java.util.Comparator.comparingLong(TestEvents::ts));
    List<Map<String, Object>> sent = Collections.synchronizedList(new ArrayList<>(history));

    try (StackFixture stack = StackFixture.start(Path.of("target", "rollout-e2e"), Map.of(
        Service.FETCHER, Map.of("tessera.fetcher.feature-log.sample-rate", "1"),
        Service.REGISTRY, Map.of("tessera.registry.rollout.poll-interval", "500ms", "tessera.registry.rollout.purge-after", "20s")));
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
            new StringSerializer(), new StringSerializer())) {
      Topics.ensure(stack.kafka(), topic, 4);
      Topics.ensure(stack.kafka(), "tessera.feature-log", 2);
      String groupBys = stack.url(Service.REGISTRY) + "/api/v1/groupbys";
      stack.registry().post(groupBys, "application/yaml", v1).orThrow("publish v1");
      stack.startStreamingJob(name);
      send(producer, topic, history);
      stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
      stack.runJob("upload", Map.of("groupBy", name, "date", yesterday.toString()));
      long t0 = System.currentTimeMillis();
      stack.awaitStreamCaughtUp(name, t0);

      // Live events (one every 50 ms, at the time they are sent) and a fetch load, both until the end.
      AtomicBoolean running = new AtomicBoolean(true);
      List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
      List<Map<String, String>> everyone = new ArrayList<>();
      for (int u = 0; u < USERS; u++) everyone.add(Map.of("user_id", TestEvents.user(u)));
      Thread events = Thread.ofPlatform().name("live-events").start(() -> {
        Random lr = new Random(7);
        while (running.get()) {
          Map<String, Object> e = TestEvents.purchase(lr.nextInt(USERS), System.currentTimeMillis(), lr);
          sent.add(e);
          send(producer, topic, List.of(e));
          sleep(50);
        }
      });
      Thread fetches = Thread.ofPlatform().name("fetch-load").start(() -> {
        while (running.get()) {
          try {
            JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name, everyone).orThrow("fetch");
            long at = System.currentTimeMillis();
            for (JsonNode result : response.path("results")) {
              seen.add(new Seen(at, result.path("meta").path("version").asInt(-1), result.path("status").asString(),
                  result.path("entityKeys").path("user_id").asString(), Json.toMap(result.path("features"))));
            }
          } catch (Exception e) {
            seen.add(new Seen(System.currentTimeMillis(), -1, "client error: " + e, null, Map.of()));
          }
          sleep(100);
        }
      });
      try {
        sleep(2000);
        stack.registry().post(groupBys, "application/yaml", v2).orThrow("publish v2");
        JsonNode pending = stack.rest().get(groupBys + "/" + name + "/rollout").orThrow("rollout");
        assertThat(pending.path("state").asString()).as("%s", pending).isEqualTo("PUBLISHED");
        assertThat(pending.path("liveVersion").asInt()).isEqualTo(1);
        sleep(4000);   // the published version reached every service; the fetcher must still serve version 1
        long published = System.currentTimeMillis();

        stack.registry().post(groupBys + "/" + name + "/rollout", "application/json", "").orThrow("start the rollout");
        JsonNode live = awaitLive(stack, groupBys + "/" + name + "/rollout");
        long switchedAt = Instant.parse(live.path("updatedAt").asString()).toEpochMilli();
        // upload, catch-up and switch done; version 1's data is purged later (tessera.registry.rollout.purge-after)
        assertThat(live.path("steps").findValuesAsString("status")).as("%s", live).containsExactly("DONE", "DONE", "DONE", "PENDING");
        sleep(4000);

        running.set(false);
        events.join();
        fetches.join();
        List<Seen> all = List.copyOf(seen);
        assertThat(all).as("the fetch load ran").hasSizeGreaterThan(USERS * 20);
        assertThat(all).as("every fetch succeeded").allMatch(s -> s.status().equals("Success"));
        // One version at a time, in order: 1 until the switch, then 2; never 2 before the registry switched.
        assertThat(all).filteredOn(s -> s.version() == 2).allMatch(s -> s.at() >= switchedAt);
        int firstTwo = indexOfFirst(all, 2);
        assertThat(firstTwo).as("version 2 was served after the switch").isPositive();
        assertThat(all.subList(firstTwo, all.size())).as("no going back to version 1").allMatch(s -> s.version() == 2);
        assertThat(all.subList(0, firstTwo)).allMatch(s -> s.version() == 1);
        // version 1's values kept moving while version 2 waited (live events kept coming)
        List<Seen> waiting = all.stream().filter(s -> s.at() > published && s.at() < switchedAt).toList();
        assertThat(waiting).isNotEmpty();
        assertThat(waiting.stream().map(s -> s.user() + "=" + s.features().get("amount_count_24h")).distinct().count())
            .as("counts moved under version 1").isGreaterThan(USERS);
        // version 2's first answers are whole: never an empty count for a user with history
        assertThat(all.subList(firstTwo, Math.min(all.size(), firstTwo + USERS)))
            .allMatch(s -> s.features().get("amount_count_24h") != null && s.features().get("amount_sum_6h") != null);

        // Exactly the oracle's values of version 2 over every event sent, at a tile-aligned time.
        stack.awaitStreamCaughtUp(name, System.currentTimeMillis());
        sleep(3000);
        long t = System.currentTimeMillis() / (5 * MINUTE) * (5 * MINUTE);
        CompiledGroupBy g2 = GroupByCompiler.compile(v2).orThrow();
        Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g2, List.copyOf(sent));
        NaiveAggregator oracle = new NaiveAggregator(g2);
        Map<String, Operation> operations = new HashMap<>();
        for (Feature f : g2.features()) operations.put(f.name(), g2.aggregator().column(f.column()).aggregation().operation());
        JsonNode exact = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name + "?atMillis=" + t, everyone)
            .orThrow("fetch");
        List<String> wrong = new ArrayList<>();
        for (JsonNode result : exact.path("results")) {
          assertThat(result.path("meta").path("version").asInt()).isEqualTo(2);
          List<Object> key = List.of(result.path("entityKeys").path("user_id").asString());
          for (String m : FeatureComparison.mismatches(oracle.valuesAt(rows.getOrDefault(key, List.of()), t),
              Json.toMap(result.path("features")), operations)) {
            wrong.add(key + ": " + m);
          }
        }
        assertThat(wrong).as("version 2 at %s", Instant.ofEpochMilli(t)).isEmpty();

        // The consistency job over the day of the rollout: fetches of both versions, nothing unexplained.
        long logged = all.size() + USERS;
        long landed = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (landed < logged) {
          landed += stack.runJob("ingest", Map.of("topic", "tessera.feature-log", "format", "feature-log")).path("result")
              .path("recordsLanded").asLong();
          assertThat(System.nanoTime()).as("feature log records landed: %d of %d", landed, logged).isLessThan(deadline);
          if (landed < logged) sleep(1000);
        }
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode result = stack.runJob("consistency", Map.of("groupBy", name, "startDate", today, "endDate", today)).path("result");
        assertThat(result.path("unexplained").asLong()).as("%s", result).isZero();
        assertThat(result.path("fetchesChecked").asLong()).as("%s", result).isPositive();

        // After the grace period the batch service purged version 1's Redis keys; version 2's are there.
        long purgeDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode rollout = stack.rest().get(groupBys + "/" + name + "/rollout").orThrow("rollout");
        while (!rollout.path("steps").get(3).path("status").asString().equals("DONE")) {
          assertThat(System.nanoTime()).as("version 1 was not purged: %s", rollout).isLessThan(purgeDeadline);
          sleep(1000);
          rollout = stack.rest().get(groupBys + "/" + name + "/rollout").orThrow("rollout");
        }
        assertThat(rollout.path("steps").get(3).path("detail").asString()).startsWith("removed ");
        assertThat(stack.deleteRedisKeys("tsr:{" + name + ":1:*")).as("version 1's keys are gone").isZero();
        assertThat(stack.deleteRedisKeys("tsr:upload:" + name + ":1")).isZero();
      } finally {
        running.set(false);
        events.join();
        fetches.join();
        stack.deleteRedisKeys("tsr:{" + name + ":*");
        stack.deleteRedisKeys("tsr:upload:" + name + ":*");
      }
    }
  }

  private static JsonNode awaitLive(StackFixture stack, String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      JsonNode r = stack.rest().get(url).orThrow("rollout");
      if (r.path("state").asString().equals("LIVE")) return r;
      assertThat(r.path("state").asString()).as("%s\n%s", r, stack.logTail(Service.REGISTRY, 30)).isNotIn("FAILED", "SUPERSEDED");
      assertThat(System.nanoTime()).as("the rollout did not finish: %s", r).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static int indexOfFirst(List<Seen> all, int version) {
    for (int i = 0; i < all.size(); i++) if (all.get(i).version() == version) return i;
    return -1;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
