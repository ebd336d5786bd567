package dev.tessera.local;

import static dev.tessera.local.TestEvents.at;
import static dev.tessera.local.TestEvents.send;
import static dev.tessera.local.TestEvents.ts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compare.ValueComparison;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.support.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A Join's promise (DESIGN.md "Joins"), with everything running for real: the fraud demo's three
 * GroupBys (buyer, merchant, buyer-merchant pair, all over one purchases topic) and its
 * {@code fraud_model} Join, under names of their own. A month of purchases goes to Kafka and the
 * warehouse, is uploaded as of day D, and the purchases of D+1 stream in. For left rows at
 * tile-aligned times of D+1, the Join fetched online ({@code atMillis} = the row's time) equals the
 * Join's training set at the same rows, column by column, and the training set equals the naive
 * oracle of each GroupBy plus the derivations worked out by hand. One left row has no shop: offline
 * only (online key columns may not be null), with every merchant and pair feature null.
 */
class JoinEndToEndIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  private static final int BUYERS = 16;
  private static final int HISTORY_DAYS = 33;
  private static final String[] SHOPS = {"amazon", "apple", "uber", "shell", "delta", "ikea"};
  private static final String[] CHANNELS = {"web", "app", "pos"};
  private static final String NEW_BUYER = "b_new";
  /** How long values may take to become exact after the stream has read everything (flush + commit intervals). */
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final String prefix = "join_e2e_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String topic = prefix + "_purchases";
  private final String buyerGroupBy = prefix + "_buyer";
  private final String merchantGroupBy = prefix + "_merchant";
  private final String pairGroupBy = prefix + "_pair";
  private final String joinName = prefix + "_model";
  private final String leftTable = prefix + "_checkouts";

  /** A left row: the checkout table's columns. */
  private record Checkout(String buyer, String shop, double amountNow, String channel, long ts, long label) {
    boolean online() {
      return shop != null;
    }

    String id() {
      return ts + "|" + buyer + "|" + shop + "|" + amountNow;
    }

    Map<String, Object> columns() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("buyer", buyer);
      m.put("shop", shop);
      m.put("amount_now", amountNow);
      m.put("channel", channel);
      m.put("ts", ts);
      m.put("label", label);
      return m;
    }

    Map<String, Object> request() {
      Map<String, Object> m = columns();
      m.remove("ts");
      m.remove("label");
      return m;
    }
  }

  /** The demo's definition {@code /demo/<name>.yaml} with this test's names for every table, topic, GroupBy and Join. */
  private String demo(String name) throws IOException {
    try (InputStream in = JoinEndToEndIT.class.getResourceAsStream("/demo/" + name + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("table: purchases", "table: " + topic)
          .replace("topic: purchases", "topic: " + topic)
          // this test lands its left table from a topic of the same name: the left says so (an ingest may write it)
          .replace("table: checkouts", "table: " + leftTable + "\n  topic: " + leftTable)
          .replace("name: fraud_model", "name: " + joinName)
          .replace("name: fraud_features", "name: " + buyerGroupBy)
          .replace("groupBy: fraud_features", "groupBy: " + buyerGroupBy)
          .replace("name: merchant_features", "name: " + merchantGroupBy)
          .replace("groupBy: merchant_features", "groupBy: " + merchantGroupBy)
          .replace("name: buyer_merchant_features", "name: " + pairGroupBy)
          .replace("groupBy: buyer_merchant_features", "groupBy: " + pairGroupBy);
    }
  }

  @Test
  void theOnlineJoinEqualsTheTrainingSetAndTheOracleAtEveryRow() throws Exception {
    LocalDate d = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    long b = d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();   // batch end B = D+1 00:00
    Random r = new Random(23);
    List<Map<String, Object>> events = events(b - HISTORY_DAYS * DAY, b + DAY, b, r);
    List<Map<String, Object>> history = events.stream().filter(e -> ts(e) < b).toList();
    List<Map<String, Object>> dayAfter = events.stream().filter(e -> ts(e) >= b).toList();
    List<Checkout> left = checkouts(b, r);

    Map<String, String> groupByYaml = new LinkedHashMap<>();
    groupByYaml.put(buyerGroupBy, demo("fraud_features"));
    groupByYaml.put(merchantGroupBy, demo("merchant_features"));
    groupByYaml.put(pairGroupBy, demo("buyer_merchant_features"));
    Map<String, CompiledGroupBy> groupBys = new LinkedHashMap<>();
    groupByYaml.forEach((name, yaml) -> groupBys.put(name, GroupByCompiler.compile(yaml).orThrow()));
    String joinYaml = demo("fraud_model");
    CompiledJoin join = JoinCompiler.compile(joinYaml, (name, version) -> groupBys.containsKey(name)
        ? new GroupByResolver.Found(1, groupBys.get(name)) : new GroupByResolver.Missing("unknown GroupBy '" + name + "'")).orThrow();
    Map<String, Map<List<Object>, List<Row>>> rows = new LinkedHashMap<>();
    groupBys.forEach((name, g) -> rows.put(name, Entities.rowsByKey(g, events)));
    Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
    for (Checkout c : left) expected.put(c.id(), oracle(join, groupBys, rows, c));
    // the rows meet what they are meant to: pairs old and new, averages known and unknown, a burst at one shop
    List<Map<String, Object>> onlineExpected = left.stream().filter(Checkout::online).map(c -> expected.get(c.id())).toList();
    assertThat(onlineExpected).extracting(e -> e.get("new_pair")).contains(true, false);
    assertThat(onlineExpected).extracting(e -> e.get("amount_vs_avg")).containsNull().anySatisfy(v -> assertThat(v).isNotNull());
    assertThat(onlineExpected).extracting(e -> (Long) e.get("pair_amount_count_1h")).anySatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(2));

    try (StackFixture stack = StackFixture.start(Path.of("target", "join-e2e"))) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5),
          new StringSerializer(), new StringSerializer())) {
        Topics.ensure(stack.kafka(), topic, 4);
        for (String yaml : groupByYaml.values()) {
          stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/groupbys", "application/yaml", yaml).orThrow("publish GroupBy");
        }
        JsonNode published = stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/joins", "application/yaml", joinYaml)
            .orThrow("publish Join");
        assertThat(published.path("version").asInt()).as("%s", published).isEqualTo(1);

        // The history to Kafka before the streaming jobs start: they then wait for every partition
        // that holds records (with repartitioning a partition first heard from later could be judged late).
        send(producer, topic, history);
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", buyerGroupBy));
        for (String g : groupBys.keySet()) stack.runJob("upload", Map.of("groupBy", g, "date", d.toString()));
        for (String g : groupBys.keySet()) stack.startStreamingJob(g);

        long sent = System.currentTimeMillis();
        send(producer, topic, dayAfter);
        for (String g : groupBys.keySet()) stack.awaitStreamCaughtUp(g, sent);

        // The batch side: D+1 and the left table land in the warehouse; the Join's training set.
        stack.runJob("ingest", Map.of("topic", topic, "groupBy", buyerGroupBy));
        Topics.ensure(stack.kafka(), leftTable, 1);
        for (Checkout c : left) producer.send(new ProducerRecord<>(leftTable, c.buyer(), Json.MAPPER.writeValueAsString(c.columns())));
        producer.flush();
        stack.runJob("ingest", Map.of("topic", leftTable, "table", leftTable, "timeColumn", "ts", "schema",
            Map.of("buyer", "STRING", "shop", "STRING", "amount_now", "DOUBLE", "channel", "STRING", "ts", "LONG", "label", "LONG")));
        stack.runJob("training-set", Map.of("join", joinName, "outputTable", prefix + "_training", "parquetPath", prefix + "/training.parquet"));
        Map<String, Map<String, Object>> training = readTrainingSet(stack.exports().resolve(prefix).resolve("training.parquet"), join);

        assertThat(training.keySet()).as("one training row per left row").containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> offline = new ArrayList<>();
        for (Checkout c : left) {
          for (String m : differences(join, expected.get(c.id()), training.get(c.id()))) offline.add("training set vs oracle " + c + ": " + m);
        }
        assertThat(offline).as("%d left rows", left.size()).isEmpty();

        Map<String, Map<String, Object>> online = awaitOnlineEqualsTrainingSet(stack, join, left, training, b);
        System.out.printf("JoinEndToEndIT: %d events (%d in D+1); %d left rows (%d online), %d columns each:"
                + " online = training set = oracle%n", events.size(), dayAfter.size(), left.size(), online.size(),
            join.outputColumns().size());
      } finally {
        for (String g : groupByYaml.keySet()) {
          stack.deleteRedisKeys("tsr:{" + g + ":*");
          stack.deleteRedisKeys("tsr:upload:" + g + ":*");
        }
      }
    }
  }

  /**
   * Purchases of {@code BUYERS} buyers in {@code [from, to)}: each has two favourite shops and buys
   * elsewhere now and then, 10% not in USD (filtered by the GroupBys' where); some purchases at
   * exactly a left row's time (excluded at that time) and two of one pair in the same millisecond
   * (LAST takes the greater).
   */
  private static List<Map<String, Object>> events(long from, long to, long b, Random r) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int u = 0; u < BUYERS; u++) {
      double perDay = 1 + r.nextInt(4);
      long n = Math.round(perDay * (to - from) / DAY);
      for (int i = 0; i < n; i++) out.add(event(u, shopOf(u, r), from + (long) (r.nextDouble() * (to - from)), r));
      int busy = 6 + r.nextInt(6);   // D+1 is busier: every row time has streamed tiles to merge
      for (int i = 0; i < busy; i++) out.add(event(u, shopOf(u, r), b + (long) (r.nextDouble() * DAY), r));
      if (u % 3 == 0) out.add(event(u, SHOPS[favourite(u, 0)], b + 6 * HOUR, r));
    }
    long tie = b + 13 * HOUR + 5 * MINUTE - 7 * MINUTE;
    for (int i = 0; i < 2; i++) {
      Map<String, Object> e = event(1, SHOPS[favourite(1, 0)], tie, r);
      e.put("currency", "USD");
      out.add(e);
    }
    out.sort(Comparator.comparingLong(TestEvents::ts));
    return out;
  }

  private static int favourite(int u, int i) {
    return (u * 5 + i * 2) % SHOPS.length;
  }

  private static String shopOf(int u, Random r) {
    return r.nextInt(10) < 8 ? SHOPS[favourite(u, r.nextInt(2))] : SHOPS[r.nextInt(SHOPS.length)];
  }

  private static Map<String, Object> event(int u, String shop, long ts, Random r) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("user_id", buyer(u));
    e.put("merchant", shop);
    e.put("amount", Math.round(Math.exp(r.nextGaussian() * 0.8 + 3.5) * 100) / 100.0);
    e.put("currency", r.nextInt(10) == 0 ? "EUR" : "USD");
    e.put("ts", ts);
    return e;
  }

  /**
   * Left rows at tile-aligned times of D+1: buyers at their usual shops and at others (a pair that
   * may never have met), a buyer never seen (counts 0, averages null), one request without a
   * channel, and one row without a shop (offline only).
   */
  private static List<Checkout> checkouts(long b, Random r) {
    List<Long> offsets = List.of(0L, 5 * MINUTE, HOUR, 6 * HOUR, 9 * HOUR + 30 * MINUTE, 13 * HOUR + 5 * MINUTE, 18 * HOUR, 23 * HOUR + 55 * MINUTE);
    List<Checkout> out = new ArrayList<>();
    // its purchase at exactly this time is left out
    out.add(new Checkout(buyer(0), SHOPS[favourite(0, 0)], 61.25, "app", b + 6 * HOUR, 0));
    // two purchases 7 minutes before, in one millisecond: both counted over 1h, LAST takes the greater
    out.add(new Checkout(buyer(1), SHOPS[favourite(1, 0)], 42.0, "web", b + 13 * HOUR + 5 * MINUTE, 0));
    Set<String> seen = new HashSet<>();
    for (Checkout c : out) seen.add(c.ts() + c.buyer() + c.shop());
    for (long offset : offsets) {
      long t = b + offset;
      for (int i = 0; i < 8; i++) {
        int u = r.nextInt(BUYERS);
        String buyer = i == 7 ? NEW_BUYER : buyer(u);
        String shop = i < 5 ? SHOPS[favourite(u, r.nextInt(2))] : SHOPS[r.nextInt(SHOPS.length)];
        if (!seen.add(t + buyer + shop)) continue;
        out.add(new Checkout(buyer, shop, Math.round((5 + r.nextDouble() * 400) * 100) / 100.0, CHANNELS[r.nextInt(3)], t, r.nextInt(10) == 0 ? 1 : 0));
      }
    }
    out.add(new Checkout(buyer(2), SHOPS[1], 99.5, null, b + 9 * HOUR + 30 * MINUTE, 0));
    out.add(new Checkout(buyer(3), null, 250.75, "pos", b + 13 * HOUR + 5 * MINUTE, 1));
    return out;
  }

  private static String buyer(int u) {
    return String.format("b%02d", u);
  }

  /**
   * Every output column of the Join at a left row, worked out without the platform's Join code:
   * each part's features from the naive oracle of its GroupBy for the entity the key mapping names
   * (all null when a key column is null), the request fields, and the demo's two derivations.
   */
  private static Map<String, Object> oracle(CompiledJoin join, Map<String, CompiledGroupBy> groupBys,
      Map<String, Map<List<Object>, List<Row>>> rows, Checkout c) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("amount_now", c.amountNow());
    row.put("channel", c.channel());
    Map<String, Object> columns = c.columns();
    for (CompiledPart part : join.parts()) {
      CompiledGroupBy g = groupBys.get(part.part().groupBy());
      Map<String, String> mapping = part.part().keyMapping();
      List<Object> key = new ArrayList<>();
      for (String gk : g.keyNames()) {
        String column = mapping.entrySet().stream().filter(e -> e.getValue().equals(gk)).findFirst().orElseThrow().getKey();
        key.add(columns.get(column));
      }
      Map<String, Object> values = key.contains(null) ? null
          : new NaiveAggregator(g).valuesAt(rows.get(g.name()).getOrDefault(key, List.of()), c.ts());
      for (var f : g.features()) row.put(part.part().outputName(f.name()), values == null ? null : values.get(f.name()));
    }
    Double avg = (Double) row.get("buyer_amount_avg_24h");
    double ratio = avg == null ? Double.NaN : c.amountNow() / avg;
    row.put("amount_vs_avg", Double.isFinite(ratio) ? ratio : null);
    Long pairCount = (Long) row.get("pair_amount_count_30d");
    row.put("new_pair", pairCount == null ? null : pairCount == 0);
    return row;
  }

  /** Column by column under the comparison rule: floats within 1e-9 relative, everything else exactly. */
  private static List<String> differences(CompiledJoin join, Map<String, Object> expected, Map<String, Object> actual) {
    List<String> out = new ArrayList<>();
    for (OutputColumn column : join.outputColumns()) {
      if (!actual.containsKey(column.name())) {
        out.add(column.name() + ": missing");
        continue;
      }
      Object e = normalize(expected.get(column.name()), column.type());
      Object a = normalize(actual.get(column.name()), column.type());
      String d = ValueComparison.difference(e, a, ValueComparison.RELATIVE, false);
      if (d != null) out.add(column.name() + ": " + d);
    }
    return out;
  }

  /** One Java form per type, whatever the reader gave: Long, Double, Boolean, String, lists and maps from JSON text. */
  private static Object normalize(Object v, DataType type) {
    if (v == null) return null;
    if (!type.isPrimitive()) return v instanceof String s ? Json.toJava(Json.MAPPER.readTree(s)) : v;
    if (type.isIntegral()) return ((Number) v).longValue();
    if (type.isNumeric()) return ((Number) v).doubleValue();
    return v;
  }

  /** The training-set export: left row id -> every column by name. */
  private static Map<String, Map<String, Object>> readTrainingSet(Path parquet, CompiledJoin join) throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + parquet.toAbsolutePath() + "')")) {
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (OutputColumn column : join.outputColumns()) row.put(column.name(), rs.getObject(column.name()));
        Checkout left = new Checkout(rs.getString("buyer"), rs.getString("shop"), rs.getDouble("amount_now"), rs.getString("channel"),
            rs.getLong("ts"), rs.getLong("label"));
        assertThat(out.put(left.id(), row)).as("a second training row for %s", left).isNull();
      }
    }
    return out;
  }

  /**
   * Fetches the Join at every online left row until each equals its training row (the stream
   * flushes tiles every 200 ms, so a value may lag a moment behind the lag measure); fails with the
   * differences after {@link #SETTLE}. Returns left row id -> fetched features.
   */
  private Map<String, Map<String, Object>> awaitOnlineEqualsTrainingSet(StackFixture stack, CompiledJoin join, List<Checkout> left,
      Map<String, Map<String, Object>> training, long b) throws Exception {
    Map<Long, List<Checkout>> byTime = new LinkedHashMap<>();
    for (Checkout c : left) if (c.online()) byTime.computeIfAbsent(c.ts(), t -> new ArrayList<>()).add(c);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      Map<String, Map<String, Object>> fetched = new LinkedHashMap<>();
      List<String> mismatches = new ArrayList<>();
      for (var entry : byTime.entrySet()) {
        long t = entry.getKey();
        List<Checkout> rows = entry.getValue();
        JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/join/" + joinName + "?atMillis=" + t,
            rows.stream().map(Checkout::request).toList()).orThrow("Join fetch");
        JsonNode results = response.path("results");
        assertThat(results.size()).as("%s", response).isEqualTo(rows.size());
        for (int i = 0; i < rows.size(); i++) {
          Checkout c = rows.get(i);
          JsonNode result = results.get(i);
          checkMeta(result, join, t, b);
          Map<String, Object> features = Json.toMap(result.path("features"));
          assertThat(features.keySet()).as("every output column of %s", c)
              .containsExactlyInAnyOrderElementsOf(join.outputColumns().stream().map(OutputColumn::name).toList());
          fetched.put(c.id(), features);
          for (String m : differences(join, training.get(c.id()), features)) mismatches.add("online vs training set " + c + " @" + at(t) + ": " + m);
        }
      }
      if (mismatches.isEmpty()) return fetched;
      if (System.nanoTime() > deadline) {
        assertThat(mismatches.subList(0, Math.min(20, mismatches.size()))).as("online vs training set (%d mismatches)", mismatches.size())
            .isEmpty();
      }
      Thread.sleep(2000);
    }
  }

  /** Success, the Join's version, the time asked for, and every part from its GroupBy's version 1 uploaded as of D, not stale. */
  private static void checkMeta(JsonNode result, CompiledJoin join, long t, long b) {
    assertThat(result.path("status").asString()).as("%s", result).isEqualTo("Success");
    JsonNode meta = result.path("meta");
    assertThat(meta.path("joinVersion").asInt()).as("%s", meta).isEqualTo(1);
    assertThat(meta.path("asOf").asLong()).as("%s", meta).isEqualTo(t);
    for (CompiledPart part : join.parts()) {
      JsonNode p = meta.path("parts").path(part.name());
      assertThat(p.path("groupBy").asString()).as("%s", meta).isEqualTo(part.part().groupBy());
      assertThat(p.path("version").asInt()).as("%s", meta).isEqualTo(1);
      assertThat(p.path("batchEnd").asLong()).as("%s", meta).isEqualTo(b);
      assertThat(p.path("stale").asBoolean()).as("%s", meta).isFalse();
    }
  }

}
