package dev.tessera.local;

import dev.tessera.support.Topics;

import static dev.tessera.local.TestEvents.at;
import static dev.tessera.local.TestEvents.send;
import static dev.tessera.local.TestEvents.ts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The platform's promise, with everything running for real (in-process KRaft broker, real Redis,
 * DuckDB, the four services as their own JVMs): the same purchase events go to Kafka, and through
 * the ingest job into the warehouse; backfill + upload as of day D; the events of D+1 stream in;
 * for every key and many tile-aligned times t inside D+1, the fetched value equals the point-in-time
 * (training-set) value at t and the naive oracle. Then the stream service is killed in the middle of
 * D+1's stream, restarted, the rest streamed, and everything is checked again.
 */
class LambdaEndToEndIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  private static final int USERS = 40;
  private static final String[] MERCHANTS = {"amazon", "walmart", "target", "apple", "ebay", "uber", "shell", "netflix", "delta", "ikea"};
  /** How long values may take to become exact after the stream has read everything (flush + commit intervals). */
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final String name = "lambda_e2e_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String topic = name + "_purchases";

  private String yaml() {
    return """
        name: %s
        team: e2e
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, currency: STRING, ts: LONG}
              query:
                selects: {user_id: user_id, merchant: merchant, amount: amount}
                wheres: ['currency == "USD"']
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: AVG, windows: [1h, 24h]}
          - {inputColumn: amount, operation: SUM, windows: [7d]}
          - {inputColumn: amount, operation: COUNT, windows: [24h]}
          - {inputColumn: merchant, operation: LAST_K, args: {k: "5"}}
          - {inputColumn: amount, operation: APPROX_PERCENTILE, windows: [30d], args: {percentiles: "0.5,0.99"}}
        streaming: {watermarkDelay: 5m, allowedLateness: 1h}
        """.formatted(name, topic, topic);
  }

  @Test
  void onlineValuesEqualBackfillAndOracleAcrossAStreamServiceCrash() throws Exception {
    LocalDate d = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    long b = d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();   // batch end B = D+1 00:00
    List<Map<String, Object>> events = events(b - 10 * DAY, b + DAY, b, new Random(7));
    List<Map<String, Object>> history = events.stream().filter(e -> ts(e) < b).toList();
    List<Map<String, Object>> firstHalf = events.stream().filter(e -> ts(e) >= b && ts(e) < b + 12 * HOUR).toList();
    List<Map<String, Object>> secondHalf = events.stream().filter(e -> ts(e) >= b + 12 * HOUR).toList();
    List<Long> phase1 = Stream.of(0L, 5 * MINUTE, HOUR, 3 * HOUR + 5 * MINUTE, 6 * HOUR, 9 * HOUR + 30 * MINUTE, 11 * HOUR + 55 * MINUTE, 12 * HOUR)
        .map(o -> b + o).toList();
    List<Long> phase2 = Stream.of(13 * HOUR, 15 * HOUR + 35 * MINUTE, 18 * HOUR, 21 * HOUR + 10 * MINUTE, 23 * HOUR + 55 * MINUTE)
        .map(o -> b + o).toList();
    List<Long> all = Stream.concat(phase1.stream(), phase2.stream()).toList();

    CompiledGroupBy g = GroupByCompiler.compile(yaml()).orThrow();
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, events);
    NaiveAggregator oracle = new NaiveAggregator(g);
    Map<String, Operation> operations = TestEvents.operations(g);
    List<String> users = new ArrayList<>();
    for (int u = 0; u < USERS; u++) users.add(user(u));

    try (StackFixture stack = StackFixture.start(Path.of("target", "lambda-e2e"),
        Map.of(Service.STREAM, Map.of("tessera.stream.partitioning", "source")))) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
          new StringSerializer(), new StringSerializer())) {
        Topics.ensure(stack.kafka(), topic, 4);
        stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/groupbys", "application/yaml", yaml()).orThrow("publish");
        stack.startStreamingJob(name);
        // README "Security": every write needs a registry login, and the services listen on this machine only
        assertThat(stack.rest().postJson(stack.url(Service.BATCH) + "/api/v1/jobs/upload", Map.of("groupBy", name, "date", d.toString()))
            .status()).isEqualTo(401);
        assertThat(stack.rest().delete(stack.url(Service.STREAM) + "/api/v1/streaming-jobs/" + name).status()).isEqualTo(401);
        assertNotReachableFromTheNetwork(stack);

        // days up to D: to Kafka, and from Kafka into the warehouse (the same events for both sides)
        send(producer, topic, history);
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
        stack.runJob("upload", Map.of("groupBy", name, "date", d.toString()));

        // the first half of D+1 streams in
        long sent = System.currentTimeMillis();
        send(producer, topic, firstHalf);
        stack.awaitStreamCaughtUp(name, sent);
        Map<Long, Map<String, Map<String, Object>>> fetchedBeforeCrash =
            awaitExact(stack, phase1, users, rows, oracle, operations, "before the crash");

        // the second half, with the stream service killed in the middle of it and restarted
        AtomicLong produced = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
          for (Map<String, Object> e : secondHalf) {
            send(producer, topic, List.of(e));
            if (produced.incrementAndGet() % 5 == 0) sleep(100);
          }
          producer.flush();
        });
        while (produced.get() < secondHalf.size() / 3) Thread.sleep(20);
        stack.kill(Service.STREAM);
        long killedAt = produced.get();
        stack.restart(Service.STREAM);
        writer.join();
        sent = System.currentTimeMillis();
        assertThat(killedAt).as("killed while the second half was being produced").isLessThan(secondHalf.size());
        stack.awaitStreamCaughtUp(name, sent);
        Map<Long, Map<String, Map<String, Object>>> fetchedAfterCrash =
            awaitExact(stack, all, users, rows, oracle, operations, "after the crash and restart");

        // the batch side: D+1 lands in the warehouse; point-in-time values at every (user, t)
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
        String queries = name + "_queries";
        Topics.ensure(stack.kafka(), queries, 1);
        List<Map<String, Object>> left = new ArrayList<>();
        for (long t : all) for (String u : users) left.add(Map.of("user_id", u, "ts", t));
        for (Map<String, Object> q : left) producer.send(new ProducerRecord<>(queries, (String) q.get("user_id"), Json.MAPPER.writeValueAsString(q)));
        producer.flush();
        stack.runJob("ingest", Map.of("topic", queries, "table", queries, "schema", Map.of("user_id", "STRING", "ts", "LONG"), "timeColumn", "ts"));
        stack.runJob("training-set", Map.of("groupBy", name, "leftTable", queries, "timeColumn", "ts", "outputTable", name + "_pit",
            "parquetPath", name + "/pit.parquet"));
        Map<Long, Map<String, Map<String, Object>>> backfill = readPointInTime(stack.exports().resolve(name).resolve("pit.parquet"), g);

        List<String> mismatches = new ArrayList<>();
        for (long t : all) {
          for (String u : users) {
            Map<String, Object> pit = backfill.get(t).get(u);
            Map<String, Object> expected = oracle.valuesAt(rows.getOrDefault(List.of(u), List.of()), t);
            for (String m : FeatureComparison.mismatches(expected, pit, operations)) mismatches.add("backfill vs oracle " + u + " @" + at(t) + ": " + m);
            for (String m : FeatureComparison.mismatches(pit, fetchedAfterCrash.get(t).get(u), operations)) {
              mismatches.add("online (after the crash) vs backfill " + u + " @" + at(t) + ": " + m);
            }
            if (fetchedBeforeCrash.containsKey(t)) {
              for (String m : FeatureComparison.mismatches(pit, fetchedBeforeCrash.get(t).get(u), operations)) {
                mismatches.add("online (before the crash) vs backfill " + u + " @" + at(t) + ": " + m);
              }
            }
          }
        }
        assertThat(mismatches).as("%d keys x %d times", USERS, all.size()).isEmpty();
        assertThat(backfill.values().stream().mapToLong(m -> m.size()).sum()).isEqualTo((long) USERS * all.size());
        System.out.printf("LambdaEndToEndIT: %d events (%d in D+1); stream service killed after %d of %d second-half events;"
            + " %d users x %d times, %d features each: online = backfill = oracle%n", events.size(), firstHalf.size() + secondHalf.size(),
            killedAt, secondHalf.size(), USERS, all.size(), g.features().size());
      } finally {
        stack.deleteRedisKeys("tsr:{" + name + ":*");
        stack.deleteRedisKeys("tsr:upload:" + name + ":*");
      }
    }
  }

  /**
   * Purchases of {@code USERS} users in {@code [from, to)}: per-user rates, 10% not in USD (filtered),
   * some at exactly a query time (excluded at that time), some sharing a millisecond (tie rules).
   */
  private static List<Map<String, Object>> events(long from, long to, long b, Random r) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      double perDay = 2 + r.nextInt(8);
      long n = Math.round(perDay * (to - from) / DAY);
      for (int i = 0; i < n; i++) out.add(event(u, from + (long) (r.nextDouble() * (to - from)), r));
      out.add(event(u, b + 6 * HOUR, r));                 // exactly at a query time
      long tie = b + 15 * HOUR + 35 * MINUTE - 7 * MINUTE;
      out.add(event(u, tie, r));                          // two purchases in the same millisecond
      out.add(event(u, tie, r));
    }
    out.sort(Comparator.comparingLong(TestEvents::ts));
    return out;
  }

  private static Map<String, Object> event(int u, long ts, Random r) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("user_id", user(u));
    e.put("merchant", MERCHANTS[r.nextInt(MERCHANTS.length)]);
    e.put("amount", Math.round(Math.exp(r.nextGaussian() * 0.8 + 3.5) * 100) / 100.0);
    e.put("currency", r.nextInt(10) == 0 ? "EUR" : "USD");
    e.put("ts", ts);
    return e;
  }

  private static String user(int u) {
    return String.format("u%03d", u);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Fetches every user at every time until all equal the oracle (the stream flushes tiles every
   * 200 ms, so a value may lag a moment behind the lag measure); fails with the mismatches after
   * {@link #SETTLE}. Returns time -> user -> fetched features.
   */
  private Map<Long, Map<String, Map<String, Object>>> awaitExact(StackFixture stack, List<Long> times, List<String> users,
      Map<List<Object>, List<Row>> rows, NaiveAggregator oracle, Map<String, Operation> operations, String when) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    List<Map<String, String>> body = users.stream().map(u -> Map.of("user_id", u)).toList();
    while (true) {
      Map<Long, Map<String, Map<String, Object>>> fetched = new LinkedHashMap<>();
      List<String> mismatches = new ArrayList<>();
      for (long t : times) {
        JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name + "?atMillis=" + t, body)
            .orThrow("fetch");
        Map<String, Map<String, Object>> byUser = new LinkedHashMap<>();
        for (JsonNode result : response.path("results")) {
          String u = result.path("entityKeys").path("user_id").asString();
          if (!"Success".equals(result.path("status").asString())) {
            mismatches.add(u + " @" + at(t) + ": " + result);
            continue;
          }
          byUser.put(u, Json.toMap(result.path("features")));
        }
        fetched.put(t, byUser);
        for (String u : byUser.keySet()) {
          Map<String, Object> expected = oracle.valuesAt(rows.getOrDefault(List.of(u), List.of()), t);
          for (String m : FeatureComparison.mismatches(expected, byUser.get(u), operations)) mismatches.add(u + " @" + at(t) + ": " + m);
        }
      }
      if (mismatches.isEmpty()) return fetched;
      if (System.nanoTime() > deadline) {
        assertThat(mismatches.subList(0, Math.min(20, mismatches.size()))).as("online vs oracle %s (%d mismatches)", when, mismatches.size()).isEmpty();
      }
      Thread.sleep(2000);
    }
  }

  /** The training-set export: time -> user -> features, lists parsed from their JSON text. */
  private static Map<Long, Map<String, Map<String, Object>>> readPointInTime(Path parquet, CompiledGroupBy g) throws Exception {
    Map<String, DataType> types = g.featureTypes();
    Map<Long, Map<String, Map<String, Object>>> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + parquet.toAbsolutePath() + "')")) {
      while (rs.next()) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature f : g.features()) {
          Object v = rs.getObject(f.name());
          if (v != null && !(v instanceof Number)) {
            v = Json.toJava(Json.MAPPER.readTree(rs.getString(f.name())));
          } else if (v instanceof Number n) {
            v = types.get(f.name()).isIntegral() ? (Object) n.longValue() : (Object) n.doubleValue();
          }
          values.put(f.name(), v);
        }
        out.computeIfAbsent(rs.getLong("ts"), k -> new HashMap<>()).put(rs.getString("user_id"), values);
      }
    }
    return out;
  }

  /** No service answers on an address of this machine other than the loopback (issue 21: all four listened on every interface). */
  private static void assertNotReachableFromTheNetwork(StackFixture stack) throws Exception {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress()) continue;
        for (Service s : Service.values()) {
          int port = Integer.parseInt(stack.url(s).substring(stack.url(s).lastIndexOf(':') + 1));
          try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), 500);
            throw new AssertionError(s + " answers on " + address + ":" + port);
          } catch (java.io.IOException refused) {
            // what we want: nothing listens there
          }
        }
      }
    }
  }
}
