package dev.tessera.fetcher.bench;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.fetcher.testdata.StubRegistry;
import dev.tessera.fetcher.testdata.TestGroupBys;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Join of the benchmark (docs/benchmarks.md, Joins): the fraud model's shape, three GroupBys on
 * the user (the bench GroupBy and its data), the merchant and the user-merchant pair, each with the
 * bench GroupBy's ten features and per entity its 7-day batch IR and 288 tiles; one request field
 * and one derivation. Row {@code i} is user {@code i} buying from merchant {@code i % merchants},
 * so every part of every row has data: {@code keys} users and pairs, {@code keys / 100} merchants.
 */
final class JoinBench {
  static final String NAME = "bench_join_load";
  static final String MERCHANTS = "bench_join_merchant";
  static final String PAIRS = "bench_join_pair";

  final int keys;
  final int merchants;
  final Join join;
  private final List<CompiledGroupBy> groupBys;

  JoinBench(int keys) {
    this.keys = keys;
    this.merchants = Math.max(1, keys / 100);
    this.groupBys = List.of(BenchData.GROUP_BY, groupBy(MERCHANTS, "[merchant]"), groupBy(PAIRS, "[user_id, merchant]"));
    Map<String, DataType> left = new LinkedHashMap<>();
    left.put("buyer", DataType.Primitive.STRING);
    left.put("shop", DataType.Primitive.STRING);
    left.put("amount_now", DataType.Primitive.DOUBLE);
    left.put("ts", DataType.Primitive.LONG);
    this.join = Join.builder(NAME).online(true).left(new dev.tessera.agg.join.LeftSource("checkouts", "ts", left))
        .part(BenchData.NAME, Map.of("buyer", "user_id"), "buyer")
        .part(MERCHANTS, Map.of("shop", "merchant"), "shop")
        .part(PAIRS, Map.of("buyer", "user_id", "shop", "merchant"), "pair")
        .request("amount_now")
        .derive("amount_vs_avg", "amount_now / buyer_amount_avg_24h")
        .build();
  }

  /** The bench GroupBy's aggregations (so its IR bytes fit) over other keys; the merchant column last, so rows keep their layout. */
  private static CompiledGroupBy groupBy(String name, String keys) {
    return GroupByCompiler.compile("""
        name: %s
        keys: %s
        online: true
        sources: [{events: {table: purchases, topic: purchases, schema: {user_id: STRING, amount: DOUBLE, ts: LONG, merchant: STRING}, query: {timeColumn: ts}}}]
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: AVG, windows: [1h, 24h, 7d]}
          - {inputColumn: amount, operation: MAX, windows: [7d]}
        """.formatted(name, keys)).orThrow();
  }

  static String merchant(int i) {
    return "merchant_" + i;
  }

  /** Writes the merchants' and pairs' data (the users' is the bench GroupBy's); prints what it wrote. */
  void fill(BenchData data, StatefulRedisConnection<byte[], byte[]> admin) throws Exception {
    double s = data.fill(admin, MERCHANTS, merchants, i -> List.of(merchant(i)));
    s += data.fill(admin, PAIRS, keys, i -> List.of(BenchData.user(i), merchant(i % merchants)));
    System.out.printf(Locale.ROOT, "Join %s: wrote %d merchants and %d pairs in %.1f s%n", NAME, merchants, keys, s);
  }

  void publish(StubRegistry registry) {
    for (CompiledGroupBy g : groupBys.subList(1, groupBys.size())) registry.publish(TestGroupBys.published(g, BenchData.VERSION));
    registry.publish(TestGroupBys.published(join, 1));
  }

  static long delete(StatefulRedisConnection<byte[], byte[]> admin) {
    return BenchData.delete(admin, MERCHANTS) + BenchData.delete(admin, PAIRS);
  }

  static String path() {
    return "/v1/features/join/" + NAME + "?atMillis=" + BenchData.T;
  }

  /** A JSON array of {@code rows} random rows. */
  byte[] body(int rows) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder body = new StringBuilder(rows * 72).append('[');
    for (int k = 0; k < rows; k++) {
      int i = r.nextInt(keys);
      if (k > 0) body.append(',');
      body.append("{\"buyer\":\"").append(BenchData.user(i)).append("\",\"shop\":\"").append(merchant(i % merchants))
          .append("\",\"amount_now\":").append(r.nextInt(50_000) / 100.0).append('}');
    }
    return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The bare client's read of the same: per row, the user's, the merchant's and the pair's batch IR and tiles. */
  EventLoopBare.Entities entities(int rows) {
    return (r, batchKeys, tilesKeys) -> {
      for (int k = 0; k < rows; k++) {
        int i = r.nextInt(keys);
        add(BenchData.NAME, List.of(BenchData.user(i)), batchKeys, tilesKeys);
        add(MERCHANTS, List.of(merchant(i % merchants)), batchKeys, tilesKeys);
        add(PAIRS, List.of(BenchData.user(i), merchant(i % merchants)), batchKeys, tilesKeys);
      }
    };
  }

  private static void add(String groupBy, List<Object> key, List<byte[]> batchKeys, List<byte[]> tilesKeys) {
    batchKeys.add(BenchData.bytes(RedisKeys.batchKey(groupBy, BenchData.VERSION, key)));
    tilesKeys.add(BenchData.bytes(RedisKeys.tilesKey(groupBy, BenchData.VERSION, key)));
  }
}
