package dev.tessera.fetcher.bench;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.fetcher.FetcherApplication;
import dev.tessera.fetcher.testdata.StubRegistry;
import dev.tessera.fetcher.testdata.TestGroupBys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The load generator of issue 6 "Speed" (docs/benchmarks.md). It writes the bench data to Redis
 * (100k keys, each a 7d batch IR and 288 tiles), starts the fetcher in this JVM on a random port,
 * and drives single-key fetches at concurrency 1, 16 and 64 and 100-key batch fetches; in the same
 * run a bare Lettuce client reads the same keys (GET + HGETALL per key, pipelined the same way) at
 * the same concurrency, driven the same way. It prints throughput, p50 and p99 latency and the
 * fetcher/bare throughput ratio, then deletes its keys.
 *
 * <p>Two ways to drive both: {@code --client=loop} (the default) keeps the operations in flight
 * from one thread, wrk-style ({@link EventLoopHttp}, {@link EventLoopBare}), so the client costs
 * the shared cores next to nothing; {@code --client=threads} gives each in-flight operation a
 * platform thread of its own that blocks on it ({@link LoadPhase}), as application threads would
 * call a client library. With {@code -Dbench.tail=true} each phase also prints p90 to p99.9.
 *
 * <p>{@code --ab=property=value[;property=value]} compares two fetchers instead: one as configured
 * and one with those properties, both in this JVM, their single-key phases at the first
 * {@code --concurrency} alternated for {@code --ab-rounds} rounds (the order flipped each round).
 * On a shared machine whose speed drifts by more than the change being judged, only such paired
 * runs tell a 5% change from the noise.
 *
 * <pre>
 * --keys=100000 --jit-warmup=60 --warmup=3 --seconds=10 --concurrency=1,16,64 --batch-size=100 --batch-concurrency=1,16
 * --client=loop|threads --redis=127.0.0.1:6379 --connections=N (the bare client's, default 1) --keep (leave the data)
 * --reuse (data already written by --keep) --only=single|batch|rate --no-bare
 * --listpacks (write the tiles hashes' r field unpadded, as before the stream padded it: on a default server they are then listpacks)
 * --ab=tessera.fetcher.some.property=value --ab-rounds=6
 * --serve[=SECONDS] (default 600; no phases: the fetcher serves the bench data for another load tool, e.g. wrk; --port=8080 to fix its port)
 * --rounds=N (single-key phases: fetcher and bare client alternated N times, the median ratio printed)
 * --probe-seconds=10 (the machine check before the phases: PINGs to Redis that take over 5 ms; 0 skips it)
 * --rates=3000,5000 (open-loop single-key phases at these requests per second, after the closed-loop ones, the
 *   fetcher's on up to --rate-connections=64 connections; --only=rate for these alone)
 * --join (also the Join phases: a Join of three GroupBys, one row per request at --join-concurrency=16 and
 *   --join-rows=100 rows per request at --batch-concurrency; --only=join for these alone)
 * </pre>
 */
public final class FetchLoadGenerator {

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    int keys = Integer.parseInt(a.getOrDefault("keys", "100000"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup", "3")));
    Duration measure = Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "10")));
    int[] concurrency = ints(a.getOrDefault("concurrency", "1,16,64"));
    int batchSize = Integer.parseInt(a.getOrDefault("batch-size", "100"));
    int[] batchConcurrency = ints(a.getOrDefault("batch-concurrency", "1,16"));
    String[] redisAt = a.getOrDefault("redis", "127.0.0.1:6379").split(":");
    String connectionsArg = a.get("connections");
    String only = a.getOrDefault("only", "all");
    if (!List.of("all", "single", "batch", "rate", "join").contains(only)) {
      throw new IllegalArgumentException("--only is single, batch, rate or join, was " + only);
    }
    JoinBench joinBench = a.containsKey("join") || only.equals("join") ? new JoinBench(keys) : null;
    int joinRows = Integer.parseInt(a.getOrDefault("join-rows", "100"));
    int[] joinConcurrency = ints(a.getOrDefault("join-concurrency", "16"));
    boolean skipBare = a.containsKey("no-bare");
    String driver = a.getOrDefault("client", "loop");
    if (!driver.equals("loop") && !driver.equals("threads")) throw new IllegalArgumentException("--client is loop or threads, was " + driver);
    boolean eventLoop = driver.equals("loop");

    System.out.printf(Locale.ROOT, "Tessera fetcher load generator: %d keys, %d cores, JDK %s%n", keys,
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    BenchData data = new BenchData();
    System.out.printf(Locale.ROOT, "GroupBy %s: %d features (%s), tile size %d min; per key: batch IR %d bytes, 288 tiles %d bytes%n",
        BenchData.NAME, BenchData.GROUP_BY.features().size(), BenchData.GROUP_BY.hops().keySet(), BenchData.GROUP_BY.tileSize() / 60_000,
        data.batchBytes(), data.tileBytes());

    RedisClient client = RedisClient.create(RedisURI.create(redisAt[0], Integer.parseInt(redisAt[1])));
    StatefulRedisConnection<byte[], byte[]> admin = client.connect(ByteArrayCodec.INSTANCE);
    ConfigurableApplicationContext fetcher = null;
    try (StubRegistry registry = new StubRegistry()) {
      BenchData.listpacks = a.containsKey("listpacks");
      if (!a.containsKey("reuse")) {
        double s = data.fill(admin, keys);
        System.out.printf(Locale.ROOT, "wrote %d keys in %.1f s; Redis used_memory now %s%n", keys, s, usedMemory(admin));
        if (joinBench != null) {
          joinBench.fill(data, admin);
          System.out.printf(Locale.ROOT, "Redis used_memory now %s%n", usedMemory(admin));
        }
      }
      BenchData.learnEncoding(admin);
      System.out.printf(Locale.ROOT, "tiles hashes are %s: the fetcher and the bare client read %s%n", BenchData.encoding,
          BenchData.readWhole() ? "them whole (HGETALL)" : BenchData.SELECTED.length + " selected fields (HMGET)");
      long probeSeconds = Long.parseLong(a.getOrDefault("probe-seconds", "10"));
      if (probeSeconds > 0) RedisStallProbe.run(redisAt[0], Integer.parseInt(redisAt[1]), Duration.ofSeconds(probeSeconds));
      registry.publish(TestGroupBys.published(BenchData.GROUP_BY, BenchData.VERSION));
      if (joinBench != null) joinBench.publish(registry);
      // command-line arguments: they take precedence over application.yml (default properties would not)
      List<String> fetcherArgs = new ArrayList<>(List.of(
          "--server.port=" + a.getOrDefault("port", "0"), "--spring.data.redis.host=" + redisAt[0], "--spring.data.redis.port=" + redisAt[1],
          "--tessera.fetcher.registry.follow-topic=false", "--tessera.fetcher.registry.url=" + registry.url(),
          "--tessera.fetcher.max-keys-per-request=" + Math.max(1000, batchSize),
          "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--logging.level.root=WARN", "--spring.main.banner-mode=off"));
      fetcher = new SpringApplicationBuilder(FetcherApplication.class).run(fetcherArgs.toArray(String[]::new));
      int port = Integer.parseInt(fetcher.getEnvironment().getProperty("local.server.port"));
      if (a.containsKey("serve")) {
        serve(port, keys, Duration.ofSeconds(a.get("serve").isBlank() ? 600 : Long.parseLong(a.get("serve"))));
        return;
      }
      if (a.containsKey("ab")) {
        // "p=v;q=w|p=x": one variant fetcher per "|"-separated group, each next to A (as configured)
        String[] groups = a.get("ab").split("\\|");
        List<ConfigurableApplicationContext> variants = new ArrayList<>();
        try {
          int[] ports = new int[groups.length + 1];
          ports[0] = port;
          for (int v = 0; v < groups.length; v++) {
            List<String> variantArgs = new ArrayList<>(fetcherArgs);
            for (String p : groups[v].split(";")) if (!p.isBlank()) variantArgs.add("--" + p.trim());
            variants.add(new SpringApplicationBuilder(FetcherApplication.class).run(variantArgs.toArray(String[]::new)));
            ports[v + 1] = Integer.parseInt(variants.getLast().getEnvironment().getProperty("local.server.port"));
          }
          Duration jit = Duration.ofSeconds(Long.parseLong(a.getOrDefault("jit-warmup", "60")));
          System.out.printf(Locale.ROOT, "A/B: fetcher A on port %d as configured, %s; JIT warm-up %d s ...%n", port,
              IntStream.range(0, groups.length).mapToObj(v -> (char) ('B' + v) + " on port " + ports[v + 1] + " with " + groups[v])
                  .collect(Collectors.joining(", ")), jit.toSeconds());
          for (int p : ports) LoadPhase.run("warm-up", 16, Duration.ZERO, jit.dividedBy(2), fetcherOp(p, 16, keys, 1));
          abRounds(ports, concurrency[0], Integer.parseInt(a.getOrDefault("ab-rounds", "6")), warmup, measure, keys, eventLoop);
        } finally {
          for (ConfigurableApplicationContext v : variants) v.close();
        }
        return;
      }
      // Lettuce's own model: one shared connection (more measured no faster on two cores); --connections=N to change
      int connections = connectionsArg == null ? 1 : Integer.parseInt(connectionsArg);
      MeterRegistry meters = fetcher.getBean(MeterRegistry.class);
      System.out.printf(Locale.ROOT, "fetcher on port %d (one Redis connection per read in flight), bare Lettuce client on %d shared "
          + "connection(s), both driven by %s; warm-up %d s and %d s measured per phase (numbers are noisy on a shared machine)%n%n",
          port, connections, eventLoop ? "one event-loop thread (--client=loop)" : "a thread per operation in flight (--client=threads)",
          warmup.toSeconds(), measure.toSeconds());

      List<StatefulRedisConnection<byte[], byte[]>> bare = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
        c.setAutoFlushCommands(false);
        bare.add(c);
      }
      // JIT warm-up: on a busy two-core machine C2 needs tens of seconds to compile the HTTP path;
      // gently first, so a cold fetcher does not trip its own circuit breaker
      Duration jit = Duration.ofSeconds(Long.parseLong(a.getOrDefault("jit-warmup", "60")));
      System.out.printf(Locale.ROOT, "JIT warm-up %d s ...%n", jit.toSeconds());
      LoadPhase.run("warm-up", 1, Duration.ZERO, jit.dividedBy(8), fetcherOp(port, 1, keys, 1));
      LoadPhase.run("warm-up", 16, Duration.ZERO, jit.dividedBy(2), fetcherOp(port, 16, keys, 1));
      LoadPhase.run("warm-up", 4, Duration.ZERO, jit.dividedBy(8), fetcherOp(port, 4, keys, batchSize));
      LoadPhase.run("warm-up", 16, Duration.ZERO, jit.dividedBy(4), bareOp(bare, keys, 1));
      if (joinBench != null) {
        checkJoin(port, joinBench, joinRows);
        EventLoopHttp.run("warm-up", port, JoinBench.path(), 16, Duration.ZERO, jit.dividedBy(2), () -> joinBench.body(1));
        EventLoopHttp.run("warm-up", port, JoinBench.path(), 4, Duration.ZERO, jit.dividedBy(8), () -> joinBench.body(joinRows));
      }
      Report report = new Report();
      int rounds = Integer.parseInt(a.getOrDefault("rounds", "1"));
      for (int c : concurrency) {
        if (!only.equals("all") && !only.equals("single")) continue;
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          // the bare client first in every other round, so that a drifting machine favours neither side
          LoadPhase.Result b = skipBare || round % 2 == 0 ? null : bareSingleKey(bare, c, warmup, measure, keys, eventLoop);
          HistogramSnapshot[] before = snapshot(meters);
          LoadPhase.Result f = singleKey("fetcher single-key", port, c, warmup, measure, keys, eventLoop);
          HistogramSnapshot[][] server = {before, snapshot(meters)};
          if (!skipBare && b == null) b = bareSingleKey(bare, c, warmup, measure, keys, eventLoop);
          if (skipBare) report.single(f, 1, server);
          else report.pair(f, b, 1, server);
          if (b != null) ratios[round] = f.perSecond() / b.perSecond();
        }
        if (rounds > 1 && !skipBare) report.medianRatio(c, ratios);
      }
      if (a.containsKey("rates") && (only.equals("all") || only.equals("rate"))) {
        int rateConnections = Integer.parseInt(a.getOrDefault("rate-connections", "64"));
        for (int rate : ints(a.get("rates"))) {
          HistogramSnapshot[] before = snapshot(meters);
          LoadPhase.Result f = FixedRateHttp.run("fetcher single-key at " + rate + "/s", port, fetchPath(), rateConnections, rate, warmup,
              measure, () -> body(keys, 1));
          HistogramSnapshot[][] server = {before, snapshot(meters)};
          report.single(f, 1, server);
          // at a fixed rate both sides do the same throughput: the latencies are what to compare
          if (!skipBare) {
            report.single(FixedRateBare.run("bare Lettuce single-key at " + rate + "/s", bare.getFirst(), keys, rate, warmup, measure), 1,
                new HistogramSnapshot[2][]);
          }
        }
      }
      for (int c : batchConcurrency) {
        if (only.equals("all") || only.equals("batch")) {
          HistogramSnapshot[] before = snapshot(meters);
          String name = "fetcher " + batchSize + "-key batch";
          LoadPhase.Result f = eventLoop
              ? EventLoopHttp.run(name, port, fetchPath(), c, warmup, measure, () -> body(keys, batchSize))
              : LoadPhase.run(name, c, warmup, measure, fetcherOp(port, c, keys, batchSize));
          HistogramSnapshot[][] server = {before, snapshot(meters)};
          if (skipBare) report.single(f, batchSize, server);
          else report.pair(f, eventLoop
              ? EventLoopBare.run("bare Lettuce " + batchSize + "-key batch", bare.getFirst(), keys, batchSize, c, warmup, measure)
              : LoadPhase.run("bare Lettuce " + batchSize + "-key batch", c, warmup, measure, bareOp(bare, keys, batchSize)), batchSize, server);
        }
      }
      if (joinBench != null) joinPhases(report, meters, port, bare.getFirst(), joinBench, joinConcurrency, joinRows, batchConcurrency, rounds,
          warmup, measure, skipBare);
      report.print();
      bare.forEach(StatefulRedisConnection::close);
    } finally {
      if (fetcher != null) fetcher.close();
      if (!a.containsKey("keep")) {
        System.out.printf("deleted %d bench keys%n", BenchData.delete(admin) + (joinBench == null ? 0 : JoinBench.delete(admin)));
      }
      admin.close();
      client.shutdown();
    }
  }

  /**
   * The Join phases (docs/benchmarks.md, Joins), driven by one event-loop thread whatever {@code
   * --client} says: one-row fetches at each {@code --join-concurrency} (with {@code --rounds}, the
   * fetcher and the bare client alternated, the median ratio printed), then {@code --join-rows}-row
   * fetches at each {@code --batch-concurrency}; each against the bare client reading the same
   * entities (three per row) in one pipelined batch.
   */
  private static void joinPhases(Report report, MeterRegistry meters, int port, StatefulRedisConnection<byte[], byte[]> bare, JoinBench join,
      int[] concurrency, int rows, int[] batchConcurrency, int rounds, Duration warmup, Duration measure, boolean skipBare) throws Exception {
    for (int c : concurrency) {
      double[] ratios = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        LoadPhase.Result b = skipBare || round % 2 == 0 ? null : EventLoopBare.run("bare Lettuce Join 1-row", bare, join.entities(1), c, warmup, measure);
        HistogramSnapshot[] before = joinSnapshot(meters);
        LoadPhase.Result f = EventLoopHttp.run("fetcher Join 1-row", port, JoinBench.path(), c, warmup, measure, () -> join.body(1));
        HistogramSnapshot[][] server = {before, joinSnapshot(meters)};
        if (!skipBare && b == null) b = EventLoopBare.run("bare Lettuce Join 1-row", bare, join.entities(1), c, warmup, measure);
        if (skipBare) report.single(f, 1, server);
        else report.pair(f, b, 1, server);
        if (b != null) ratios[round] = f.perSecond() / b.perSecond();
      }
      if (rounds > 1 && !skipBare) report.medianRatio(c, ratios);
    }
    for (int c : batchConcurrency) {
      HistogramSnapshot[] before = joinSnapshot(meters);
      LoadPhase.Result f = EventLoopHttp.run("fetcher Join " + rows + "-row", port, JoinBench.path(), c, warmup, measure, () -> join.body(rows));
      HistogramSnapshot[][] server = {before, joinSnapshot(meters)};
      if (skipBare) report.single(f, rows, server);
      else report.pair(f, EventLoopBare.run("bare Lettuce Join " + rows + "-row", bare, join.entities(rows), c, warmup, measure), rows, server);
    }
  }

  /** Fails the run unless a Join fetch of {@code rows} rows answers Success for every one (every part read and decoded). */
  private static void checkJoin(int port, JoinBench join, int rows) throws Exception {
    RawHttp.Response response = new RawHttp("127.0.0.1", port).post(JoinBench.path(), join.body(rows));
    String body = new String(response.body(), StandardCharsets.UTF_8);
    int successes = body.split("\"status\":\"Success\"", -1).length - 1;
    if (response.status() != 200 || successes != rows) {
      throw new IllegalStateException("the Join fetch does not answer Success for every row (" + successes + " of " + rows + "): "
          + body.substring(0, Math.min(2000, body.length())));
    }
    System.out.printf(Locale.ROOT, "Join %s: %d rows of 3 parts each fetched, all Success%n", JoinBench.NAME, rows);
  }

  /**
   * Keeps the fetcher serving the bench data for a load tool of one's own choosing, and prints the
   * command of wrk's (an independent client, in C) with the script that posts one random key per request.
   */
  private static void serve(int port, int keys, Duration time) throws InterruptedException {
    System.out.printf(Locale.ROOT, "serving GroupBy %s on http://127.0.0.1:%d%s for %d s; for instance:%n"
        + "  wrk -t1 -c16 -d30s --latency -s fetcher-service/src/test/resources/bench/wrk-single-key.lua http://127.0.0.1:%d -- %d %d%n",
        BenchData.NAME, port, fetchPath(), time.toSeconds(), port, BenchData.T, keys);
    Thread.sleep(time);
  }

  /**
   * Runs the single-key phase of each fetcher (A, B, ...) in turn, the order rotated and flipped
   * from round to round, and prints the medians and each variant's per-round throughput ratio to A.
   */
  private static void abRounds(int[] ports, int c, int rounds, Duration warmup, Duration measure, int keys, boolean eventLoop)
      throws Exception {
    int n = ports.length;
    double[][] perSecond = new double[n][rounds];
    double[][] p99 = new double[n][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < n; k++) {
        int which = round % 2 == 0 ? (k + round / 2) % n : (n - 1 - k + round / 2) % n;
        String name = (char) ('A' + which) + " single-key, round " + (round + 1);
        LoadPhase.Result r = singleKey(name, ports[which], c, warmup, measure, keys, eventLoop);
        System.out.printf(Locale.ROOT, "  %-28s %4d  %8.0f ops/s  p50 %7.3f ms  p99 %7.3f ms  JVM CPU %.3f ms/op  errors %d%n", r.name(), c,
            r.perSecond(), r.percentileMillis(0.5), r.percentileMillis(0.99), r.cpuMillisPerOp(), r.errors());
        perSecond[which][round] = r.perSecond();
        p99[which][round] = r.percentileMillis(0.99);
      }
    }
    System.out.printf(Locale.ROOT, "%nA/B at concurrency %d over %d rounds: A median %.0f ops/s (p99 median %.2f ms)%n", c, rounds,
        median(perSecond[0]), median(p99[0]));
    for (int v = 1; v < n; v++) {
      double[] ratio = new double[rounds];
      for (int round = 0; round < rounds; round++) ratio[round] = perSecond[v][round] / perSecond[0][round];
      double[] sorted = ratio.clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "  %c median %.0f ops/s (p99 median %.2f ms); %c/A throughput per round: median %.3f, from %.3f to %.3f%n",
          (char) ('A' + v), median(perSecond[v]), median(p99[v]), (char) ('A' + v), median(ratio), sorted[0], sorted[rounds - 1]);
    }
  }

  /** Single-key fetches from the fetcher on {@code port} at concurrency {@code c}, driven as {@code --client} says. */
  private static LoadPhase.Result singleKey(String name, int port, int c, Duration warmup, Duration measure, int keys, boolean eventLoop)
      throws Exception {
    return eventLoop
        ? EventLoopHttp.run(name, port, fetchPath(), c, warmup, measure, () -> body(keys, 1))
        : LoadPhase.run(name, c, warmup, measure, fetcherOp(port, c, keys, 1));
  }

  /** Single-key reads of the bare client at concurrency {@code c}, driven as {@code --client} says. */
  private static LoadPhase.Result bareSingleKey(List<StatefulRedisConnection<byte[], byte[]>> bare, int c, Duration warmup,
      Duration measure, int keys, boolean eventLoop) throws Exception {
    return eventLoop
        ? EventLoopBare.run("bare Lettuce single-key", bare.getFirst(), keys, 1, c, warmup, measure)
        : LoadPhase.run("bare Lettuce single-key", c, warmup, measure, bareOp(bare, keys, 1));
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String fetchPath() {
    return "/v1/features/groupby/" + BenchData.NAME + "?atMillis=" + BenchData.T;
  }

  /** A JSON array of {@code batch} random keys. */
  private static byte[] body(int keys, int batch) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder body = new StringBuilder(batch * 28).append('[');
    for (int k = 0; k < batch; k++) {
      if (k > 0) body.append(',');
      body.append("{\"user_id\":\"").append(BenchData.user(r.nextInt(keys))).append("\"}");
    }
    return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** POSTs {@code batch} random keys per operation, one keep-alive connection per worker; anything but 200 with successes is an error. */
  private static LoadPhase.Operation fetcherOp(int port, int workers, int keys, int batch) {
    RawHttp[] http = new RawHttp[workers];
    for (int i = 0; i < workers; i++) http[i] = new RawHttp("127.0.0.1", port);
    String path = "/v1/features/groupby/" + BenchData.NAME + "?atMillis=" + BenchData.T;
    return worker -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      StringBuilder body = new StringBuilder(batch * 28).append('[');
      for (int k = 0; k < batch; k++) {
        if (k > 0) body.append(',');
        body.append("{\"user_id\":\"").append(BenchData.user(r.nextInt(keys))).append("\"}");
      }
      RawHttp.Response response = http[worker].post(path, body.append(']').toString().getBytes(StandardCharsets.UTF_8));
      if (response.status() != 200) throw new IllegalStateException("status " + response.status() + ": " + new String(response.body(), StandardCharsets.UTF_8));
      if (batch == 1 && !new String(response.body(), 0, Math.min(40, response.body().length), StandardCharsets.US_ASCII).contains("Success")) {
        throw new IllegalStateException("not a success: " + new String(response.body(), StandardCharsets.UTF_8));
      }
    };
  }

  /** GET batch IR + HMGET of the selected tiles and rollups of {@code batch} random keys, queued and flushed together, as the fetcher reads them. */
  private static LoadPhase.Operation bareOp(List<StatefulRedisConnection<byte[], byte[]>> connections, int keys, int batch) {
    return worker -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      StatefulRedisConnection<byte[], byte[]> c = connections.get(r.nextInt(connections.size()));
      var redis = c.async();
      List<RedisFuture<byte[]>> batches = new ArrayList<>(batch);
      List<RedisFuture<?>> tiles = new ArrayList<>(batch);
      for (int k = 0; k < batch; k++) {
        List<Object> key = List.of(BenchData.user(r.nextInt(keys)));
        batches.add(redis.get(BenchData.bytes(RedisKeys.batchKey(BenchData.NAME, BenchData.VERSION, key))));
        tiles.add(BenchData.readTiles(redis, BenchData.bytes(RedisKeys.tilesKey(BenchData.NAME, BenchData.VERSION, key))));
      }
      c.flushCommands();
      for (int k = 0; k < batch; k++) {
        if (batches.get(k).get(1, TimeUnit.SECONDS) == null || !BenchData.complete(tiles.get(k).get(1, TimeUnit.SECONDS))) {
          throw new IllegalStateException("bench data missing: run without --reuse");
        }
      }
    };
  }

  /** The fetcher's own timers (whole fetch, Redis round trip) so far. */
  private static HistogramSnapshot[] snapshot(MeterRegistry meters) {
    return snapshot(meters, "tessera.fetch", "groupBy", BenchData.NAME);
  }

  private static HistogramSnapshot[] joinSnapshot(MeterRegistry meters) {
    return snapshot(meters, "tessera.join", "join", JoinBench.NAME);
  }

  private static HistogramSnapshot[] snapshot(MeterRegistry meters, String prefix, String tag, String value) {
    Timer fetch = meters.find(prefix + ".latency").tag(tag, value).timer();
    Timer redis = meters.find(prefix + ".redis.latency").tag(tag, value).timer();
    return fetch == null || redis == null ? null : new HistogramSnapshot[] {fetch.takeSnapshot(), redis.takeSnapshot()};
  }

  /** Pairs of (fetcher, bare) results and their ratio. */
  private static final class Report {
    private final List<String> lines = new ArrayList<>();
    void single(LoadPhase.Result fetcher, int keysPerOp, HistogramSnapshot[][] server) {
      lines.add(line(fetcher, keysPerOp) + serverMeans(server));
      System.out.println(lines.getLast());
    }

    void pair(LoadPhase.Result fetcher, LoadPhase.Result bare, int keysPerOp, HistogramSnapshot[][] server) {
      lines.add(line(fetcher, keysPerOp) + serverMeans(server));
      lines.add(line(bare, keysPerOp));
      lines.add(String.format(Locale.ROOT, "  %-32s %4d  ratio fetcher/bare throughput: %.2f", "", fetcher.concurrency(),
          fetcher.perSecond() / bare.perSecond()));
      System.out.println(lines.get(lines.size() - 3));
      System.out.println(lines.get(lines.size() - 2));
      System.out.println(lines.getLast());
    }

    /** With {@code --rounds}: the median of the rounds' fetcher/bare ratios, the figure to quote on a drifting machine. */
    void medianRatio(int concurrency, double[] ratios) {
      double[] sorted = ratios.clone();
      Arrays.sort(sorted);
      lines.add(String.format(Locale.ROOT, "  %-32s %4d  median ratio over %d rounds: %.2f (from %.2f to %.2f)", "", concurrency,
          ratios.length, median(ratios), sorted[0], sorted[sorted.length - 1]));
      System.out.println(lines.getLast());
    }

    /** The fetcher's own mean fetch and Redis times over the phase (its warm-up included). */
    private static String serverMeans(HistogramSnapshot[][] server) {
      HistogramSnapshot[] a = server[0], b = server[1];
      if (a == null || b == null) return "";
      double count = b[0].count() - a[0].count();
      double fetch = b[0].total(TimeUnit.MILLISECONDS) - a[0].total(TimeUnit.MILLISECONDS);
      double redis = b[1].total(TimeUnit.MILLISECONDS) - a[1].total(TimeUnit.MILLISECONDS);
      return String.format(Locale.ROOT, "  (inside the fetcher: fetch %.3f ms, of it Redis %.3f ms, means; p99 at most %.1f and %.1f ms)",
          fetch / count, redis / count, p99Bound(a[0], b[0]), p99Bound(a[1], b[1]));
    }

    /** The upper bound of the histogram bucket that holds the 99th percentile of what was recorded between {@code a} and {@code b}. */
    private static double p99Bound(HistogramSnapshot a, HistogramSnapshot b) {
      CountAtBucket[] x = a.histogramCounts(), y = b.histogramCounts();
      double total = b.count() - a.count();
      for (int i = 0; i < y.length && i < x.length; i++) {
        if (y[i].count() - x[i].count() >= 0.99 * total) return y[i].bucket(TimeUnit.MILLISECONDS);
      }
      return Double.NaN;
    }

    private static String line(LoadPhase.Result r, int keysPerOp) {
      return String.format(Locale.ROOT, "  %-32s %4d  %8.0f ops/s  %8.0f keys/s  p50 %7.3f ms  p99 %7.3f ms  JVM CPU %.3f ms/op  errors %d",
          r.name(), r.concurrency(), r.perSecond(), r.perSecond() * keysPerOp, r.percentileMillis(0.5), r.percentileMillis(0.99),
          r.cpuMillisPerOp(), r.errors());
    }

    void print() {
      System.out.println();
      System.out.println("Summary (phase, concurrency, throughput, latency):");
      lines.forEach(System.out::println);
    }
  }

  private static String usedMemory(StatefulRedisConnection<byte[], byte[]> c) {
    for (String l : c.sync().info("memory").split("\r?\n")) if (l.startsWith("used_memory_human:")) return l.substring(18);
    return "?";
  }

  private static final List<String> OPTIONS = List.of("keys", "jit-warmup", "warmup", "seconds", "concurrency", "batch-size",
      "batch-concurrency", "client", "redis", "connections", "keep", "reuse", "only", "no-bare", "ab", "ab-rounds", "rounds",
      "probe-seconds", "rates", "rate-connections", "serve", "port", "join", "join-rows", "join-concurrency", "listpacks");

  /** {@code --name=value} and {@code --flag}; a misspelt option fails the run rather than being ignored. */
  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) throw new IllegalArgumentException("unknown argument " + arg + " (options look like --keys=100000)");
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (!OPTIONS.contains(name)) throw new IllegalArgumentException("unknown option --" + name + "; the options are --" + String.join(", --", OPTIONS));
      m.put(name, eq < 0 ? "" : arg.substring(eq + 1));
    }
    return m;
  }

  private static int[] ints(String csv) {
    return csv.isBlank() ? new int[0] : Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }
}
