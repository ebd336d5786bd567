package dev.tessera.batch.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.agg.tile.BatchIr;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.Tile;
import dev.tessera.agg.window.Windows;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.Tables;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import tools.jackson.databind.JsonNode;

/**
 * Upload against the real Redis: what it writes, merged as the fetcher merges (batch IR + streaming
 * tiles built from the events after B), equals the oracle at many times in the day after B.
 */
class UploadIT extends BatchServiceIT {
  static final long DAY = 86_400_000L;
  static final long JAN_1 = LocalDate.of(2024, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  static final List<String> COLUMNS = List.of("user_id", "merchant", "amount", "qty", "currency", "ts");

  @Autowired
  RedisConnectionFactory redis;
  final List<String> patterns = new ArrayList<>();

  @AfterEach
  void cleanRedis() {
    try (RedisConnection c = redis.getConnection()) {
      for (String pattern : patterns) {
        try (Cursor<byte[]> keys = c.keyCommands().scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
          while (keys.hasNext()) c.keyCommands().del(keys.next());
        }
      }
    }
  }

  GroupBy groupBy(String name, String table, boolean withLifetime) {
    return parse("""
        name: %s
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query:
                wheres: ['currency == "USD"']
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 1d, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 1d, 7d]}
          - {inputColumn: amount, operation: AVG, windows: [1h, 7d]}
          - {inputColumn: amount, operation: SUM, windows: [7d], buckets: [merchant]}
        %s
        """.formatted(name, table, table, withLifetime ? "  - {inputColumn: merchant, operation: LAST_K, args: {k: \"3\"}}" : ""));
  }

  @Test
  void uploadPlusTilesEqualsTheOracleAndRerunsAreIdempotent() {
    String table = unique("up_events");
    String name = unique("up_online");
    Tables.createPurchases(warehouse, table);
    List<Map<String, Object>> events = new EventGenerator(31).purchases(40, 3000, JAN_1, JAN_1 + 12 * DAY);
    Tables.insert(warehouse, table, COLUMNS, events);
    GroupBy g = groupBy(name, table, true);
    publish(g, 2);
    patterns.add(RedisKeys.versionPattern(name, 2));
    patterns.add(RedisKeys.uploadKey(name, 2));

    JsonNode view = runToCompletion("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-01-10\"}");
    long b = Windows.batchEnd(LocalDate.of(2024, 1, 10));
    assertThat(view.get("result").get("batchEnd").asLong()).isEqualTo(b);
    assertThat(get(RedisKeys.uploadKey(name, 2))).isEqualTo(Long.toString(b));

    CompiledGroupBy c = compile(g);
    Map<List<Object>, List<Row>> byKey = Entities.rowsByKey(c, events);
    Map<List<Object>, byte[]> uploaded = checkAgainstOracle(c, 2, byKey, b);
    assertThat(uploaded).hasSize(byKey.size());
    assertThat(view.get("result").get("keysWritten").asLong()).isEqualTo(byKey.size());

    runToCompletion("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-01-10\", \"partitions\": 3}");
    Map<List<Object>, byte[]> again = checkAgainstOracle(c, 2, byKey, b);
    assertThat(again.keySet()).isEqualTo(uploaded.keySet());
    again.forEach((k, v) -> assertThat(v).as("key %s", k).isEqualTo(uploaded.get(k)));

    // An older date would replace newer batch data: refused unless forced.
    JsonNode refused = post("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-01-09\"}", 409);
    assertThat(refused.get("type").asString()).isEqualTo("https://tessera.dev/problems/job-state");
  }

  @Test
  void entitiesThatLeftEveryWindowLoseTheirOldBatchIr() {
    String table = unique("up_gone");
    String name = unique("up_gone");
    Tables.createPurchases(warehouse, table);
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(event("early", 5.0, JAN_1 + DAY + 3_600_000));   // Jan 2 only
    events.add(event("steady", 7.0, JAN_1 + DAY));
    events.add(event("steady", 8.0, JAN_1 + 9 * DAY));
    Tables.insert(warehouse, table, COLUMNS, events);
    GroupBy g = groupBy(name, table, false);
    publish(g, 1);
    patterns.add(RedisKeys.versionPattern(name, 1));
    patterns.add(RedisKeys.uploadKey(name, 1));

    runToCompletion("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-01-03\"}");
    assertThat(getBytes(RedisKeys.batchKey(name, 1, List.of("early")))).isNotNull();
    // As of Jan 11 the 7d window starts Jan 4: "early" has nothing left in any window.
    JsonNode view = runToCompletion("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-01-10\"}");
    assertThat(getBytes(RedisKeys.batchKey(name, 1, List.of("early")))).isNull();
    assertThat(getBytes(RedisKeys.batchKey(name, 1, List.of("steady")))).isNotNull();
    assertThat(view.get("result").get("keysDeleted").asLong()).isEqualTo(1);
    assertThat(view.get("result").get("keysWritten").asLong()).isEqualTo(1);
  }

  @Test
  void onlyOnlineGroupBysAreUploaded() {
    String table = unique("up_offline");
    String name = unique("up_offline");
    Tables.createPurchases(warehouse, table);
    publish(parse("""
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h]}
        """.formatted(name, table)), 1);
    JsonNode p = post("/api/v1/jobs/upload", "{\"groupBy\": \"" + name + "\", \"date\": \"2024-13-01\"}", 400);
    List<String> fields = new ArrayList<>();
    p.get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields).containsExactlyInAnyOrder("groupBy", "date");
  }

  /** Decodes every uploaded batch IR and checks the fetcher's merge against the oracle at times through the day after B. */
  Map<List<Object>, byte[]> checkAgainstOracle(CompiledGroupBy g, int version, Map<List<Object>, List<Row>> byKey, long b) {
    Oracle oracle = new Oracle(g);
    IrCodec codec = new IrCodec(g);
    OnlineMerge merge = new OnlineMerge(g);
    Map<List<Object>, byte[]> uploaded = new HashMap<>();
    List<String> problems = new ArrayList<>();
    long[] offsets = {0, 1, 299_999, 300_000, 3_600_000 + 17, 6 * 3_600_000, DAY - 1};
    for (var e : byKey.entrySet()) {
      byte[] bytes = getBytes(RedisKeys.batchKey(g.name(), version, e.getKey()));
      if (bytes == null) {
        problems.add(e.getKey() + ": no batch IR");
        continue;
      }
      uploaded.put(e.getKey(), bytes);
      BatchIr batch = codec.decodeBatch(bytes);
      assertThat(batch.end()).isEqualTo(b);
      for (long off : offsets) {
        long t = b + off;
        List<Tile> tiles = tiles(g, e.getValue(), b, t);
        Map<String, Object> online = merge.merge(batch, tiles, t).features();
        for (String m : oracle.mismatches(oracle.valuesAt(e.getValue(), t), online)) problems.add(e.getKey() + "@B+" + off + " " + m);
      }
    }
    assertThat(problems).isEmpty();
    return uploaded;
  }

  /** The streaming tiles of the events in [b, t), as the stream side would have written them. */
  static List<Tile> tiles(CompiledGroupBy g, List<Row> rows, long b, long t) {
    Map<Long, RowIr> byStart = new TreeMap<>();
    for (Row r : rows) {
      if (r.ts() >= b && r.ts() < t) g.aggregator().update(byStart.computeIfAbsent(Windows.floor(r.ts(), g.tileSize()), s -> g.aggregator().newIr()), r);
    }
    List<Tile> out = new ArrayList<>();
    byStart.forEach((s, ir) -> out.add(new Tile(s, ir)));
    return out;
  }

  byte[] getBytes(String key) {
    try (RedisConnection c = redis.getConnection()) {
      return c.stringCommands().get(key.getBytes(StandardCharsets.UTF_8));
    }
  }

  String get(String key) {
    byte[] v = getBytes(key);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  static Map<String, Object> event(String user, double amount, long ts) {
    Map<String, Object> e = new HashMap<>();
    e.put("user_id", user);
    e.put("merchant", "m");
    e.put("amount", amount);
    e.put("qty", 1L);
    e.put("currency", "USD");
    e.put("ts", ts);
    return e;
  }
}
