package dev.tessera.fetcher.bench;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.fetcher.testdata.EncodedEntity;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The data of issue 6 "Speed": a GroupBy of 10 features over 1h, 24h and 7d windows, and per key a
 * 7-day batch IR (upload with batch end B) plus one day of 5-minute tiles (288) after B with their
 * 24 hour rollups, as the pipelines write them (common-agg builders, codec and keys). A fetch at
 * {@link #T} reads 22 rollups and 24 tiles of them ({@link #SELECTED}), and so does the bare client. The values come from a few entity
 * templates built from real rows; key {@code i} gets template {@code i % TEMPLATES}: the fetcher's
 * work per key depends on the shape of the IRs, not on which numbers they hold.
 */
final class BenchData {
  static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  /** Batch end: 2026-11-01T00:00Z. */
  static final long B = 20_393 * DAY;
  /** The fetch time: the end of the day the tiles cover, so all 288 tiles are in every 24h and 7d window. */
  static final long T = B + DAY - 1;
  static final String NAME = "bench_fetch_load";
  static final int VERSION = 1;
  static final int TEMPLATES = 16;

  static final CompiledGroupBy GROUP_BY = GroupByCompiler.compile("""
      name: %s
      keys: [user_id]
      online: true
      sources: [{events: {table: purchases, topic: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
      aggregations:
        - {inputColumn: amount, operation: SUM, windows: [1h, 24h, 7d]}
        - {inputColumn: amount, operation: COUNT, windows: [1h, 24h, 7d]}
        - {inputColumn: amount, operation: AVG, windows: [1h, 24h, 7d]}
        - {inputColumn: amount, operation: MAX, windows: [7d]}
      """.formatted(NAME)).orThrow();

  /** The fields of a tiles hash a fetch at {@link #T} reads (HMGET), as the fetcher's store asks for them. */
  static final byte[][] SELECTED = selected();

  final List<EncodedEntity> templates = new ArrayList<>();

  BenchData() {
    if (GROUP_BY.features().size() != 10) throw new IllegalStateException("the bench GroupBy must have 10 features");
    for (int j = 0; j < TEMPLATES; j++) templates.add(EncodedEntity.of(GROUP_BY, rows(j), B, B + DAY));
    for (EncodedEntity e : templates) {
      if (e.tiles().size() != 288) throw new IllegalStateException("expected 288 tiles, got " + e.tiles().size());
    }
  }

  private static byte[][] selected() {
    TileSelection s = TileSelection.of(GROUP_BY, T, B);
    List<byte[]> fields = new ArrayList<>();
    fields.add(bytes(RedisKeys.ROLLUPS_FROM_FIELD));
    for (long h : s.rollupStarts()) fields.add(bytes(RedisKeys.rollupField(h)));
    for (long t : s.tileStarts()) fields.add(bytes(RedisKeys.tileField(t)));
    return fields.toArray(byte[][]::new);
  }

  /**
   * True to write the {@code r} field unpadded, as the stream did before it padded it
   * ({@code RedisKeys.padRollupsFrom}): the tiles hashes are then what the server's limits make them
   * (listpacks on a default server), for comparing both in one run ({@code --listpacks}).
   */
  static volatile boolean listpacks;

  private static int listpackValueLimit(StatefulRedisConnection<byte[], byte[]> c) {
    try {
      return Integer.parseInt(c.sync().configGet("hash-max-listpack-value").get("hash-max-listpack-value"));
    } catch (RuntimeException e) {
      return 64; // the default, where CONFIG is refused
    }
  }

  /** How Redis keeps the bench's tiles hashes ("listpack" or "hashtable"), learnt after they are written. */
  static volatile String encoding = "hashtable";

  static void learnEncoding(StatefulRedisConnection<byte[], byte[]> c) {
    String e = c.sync().objectEncoding(bytes(RedisKeys.tilesKey(NAME, VERSION, List.of(user(0)))));
    if (e != null) encoding = e;
  }

  /** As the fetcher's store decides (HashLimits): a listpack is read whole, a hash table by the selection. */
  static boolean readWhole() {
    return encoding.equals("listpack");
  }

  /** The read of one entity's tiles hash that the fetcher makes. */
  static RedisFuture<?> readTiles(RedisAsyncCommands<byte[], byte[]> redis, byte[] tilesKey) {
    return readWhole() ? redis.hgetall(tilesKey) : redis.hmget(tilesKey, SELECTED);
  }

  /** True when a reply of {@link #readTiles} holds all the bench data (else run without --reuse). */
  static boolean complete(Object reply) {
    if (reply instanceof Map<?, ?> whole) return whole.size() == 288 + 24 + 1;
    return complete((List<?>) reply);
  }

  /** True when an HMGET of {@link #SELECTED} found every field: the bench data is there. */
  static boolean complete(List<?> values) {
    for (Object v : values) {
      Object value = v instanceof io.lettuce.core.KeyValue<?, ?> kv ? kv.getValueOrElse(null) : v;
      if (value == null) return false;
    }
    return values.size() == SELECTED.length;
  }

  static String user(int i) {
    return "user_" + i;
  }

  /** Eight days of events before B (one every ~10 minutes) and at least one in every 5-minute tile of the day after. */
  private static List<Row> rows(int template) {
    SplittableRandom r = new SplittableRandom(template);
    List<Row> rows = new ArrayList<>();
    for (long ts = B - 8 * DAY; ts < B; ts += 1 + r.nextLong(20 * MINUTE)) rows.add(row(ts, r));
    for (long slot = B; slot < B + DAY; slot += 5 * MINUTE) {
      int events = 1 + r.nextInt(3);
      for (int k = 0; k < events; k++) rows.add(row(slot + r.nextLong(5 * MINUTE), r));
    }
    return rows;
  }

  private static Row row(long ts, SplittableRandom r) {
    return new Row(ts, new Object[] {"u", Math.round(r.nextDouble() * 50_000) / 100.0, ts});
  }

  int tileBytes() {
    return templates.getFirst().tiles().values().stream().mapToInt(b -> b.length).sum();
  }

  int batchBytes() {
    return templates.getFirst().batchIr().length;
  }

  /** Writes {@code keys} entities and then the upload marker, pipelined; returns the seconds it took. */
  double fill(StatefulRedisConnection<byte[], byte[]> connection, int keys) throws Exception {
    return fill(connection, NAME, keys, i -> List.of(user(i)));
  }

  /**
   * Writes {@code keys} entities of GroupBy {@code name} (version {@link #VERSION}; key {@code i} is
   * {@code key.apply(i)}) and then its upload marker. The GroupBy must have the bench GroupBy's
   * aggregations, whose IR bytes these are; returns the seconds it took.
   */
  double fill(StatefulRedisConnection<byte[], byte[]> connection, String name, int keys, IntFunction<List<Object>> key) throws Exception {
    long started = System.nanoTime();
    byte[] rollupsFrom = bytes(Long.toString(Long.MIN_VALUE));
    if (!listpacks) rollupsFrom = RedisKeys.padRollupsFrom(rollupsFrom, listpackValueLimit(connection) + 1); // as the stream writes it
    List<Map<byte[], byte[]>> tileFields = new ArrayList<>();
    for (EncodedEntity e : templates) {
      Map<byte[], byte[]> fields = new LinkedHashMap<>();
      e.tiles().forEach((start, ir) -> fields.put(bytes(RedisKeys.tileField(start)), ir));
      e.rollups().forEach((hour, ir) -> fields.put(bytes(RedisKeys.rollupField(hour)), ir));
      fields.put(bytes(RedisKeys.ROLLUPS_FROM_FIELD), rollupsFrom);
      tileFields.add(fields);
    }
    connection.setAutoFlushCommands(false);
    try {
      RedisAsyncCommands<byte[], byte[]> redis = connection.async();
      List<RedisFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        List<Object> k = key.apply(i);
        EncodedEntity t = templates.get(i % TEMPLATES);
        pending.add(redis.set(bytes(RedisKeys.batchKey(name, VERSION, k)), t.batchIr()));
        byte[] tilesKey = bytes(RedisKeys.tilesKey(name, VERSION, k));
        pending.add(redis.del(tilesKey));
        pending.add(redis.hset(tilesKey, tileFields.get(i % TEMPLATES)));
        if (pending.size() >= 600) drain(connection, pending);
      }
      drain(connection, pending);
      // the upload marker last, as an upload writes it
      pending.add(redis.set(bytes(RedisKeys.uploadKey(name, VERSION)), bytes(Long.toString(B))));
      drain(connection, pending);
    } finally {
      connection.setAutoFlushCommands(true);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private static void drain(StatefulRedisConnection<byte[], byte[]> connection, List<RedisFuture<?>> pending) throws Exception {
    connection.flushCommands();
    for (RedisFuture<?> f : pending) f.get(60, TimeUnit.SECONDS);
    pending.clear();
  }

  /** Deletes every key of the bench GroupBy version (SCAN + UNLINK; never FLUSHALL, the server is shared). */
  static long delete(StatefulRedisConnection<byte[], byte[]> connection) {
    return delete(connection, NAME);
  }

  /** Deletes every key of version {@link #VERSION} of GroupBy {@code name}. */
  static long delete(StatefulRedisConnection<byte[], byte[]> connection, String name) {
    var redis = connection.sync();
    long n = 0;
    ScanIterator<byte[]> it = ScanIterator.scan(redis, ScanArgs.Builder.matches(RedisKeys.versionPattern(name, VERSION)).limit(5000));
    List<byte[]> batch = new ArrayList<>();
    while (it.hasNext()) {
      batch.add(it.next());
      if (batch.size() == 2000) {
        n += redis.unlink(batch.toArray(byte[][]::new));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) n += redis.unlink(batch.toArray(byte[][]::new));
    redis.del(bytes(RedisKeys.uploadKey(name, VERSION)));
    return n;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
