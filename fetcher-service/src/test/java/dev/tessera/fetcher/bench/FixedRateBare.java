package dev.tessera.fetcher.bench;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bare Lettuce client at a fixed rate, as {@link FixedRateHttp} drives the fetcher: a read of
 * one random key (GET batch IR + HGETALL tiles) is due every {@code 1/perSecond} seconds, sent on
 * the shared connection when due, and its latency counts from that moment. The answers complete on
 * Lettuce's event loop, the only thread that records.
 */
final class FixedRateBare {
  private FixedRateBare() {}

  static LoadPhase.Result run(String name, StatefulRedisConnection<byte[], byte[]> connection, int keys, int perSecond, Duration warmup,
      Duration measure) throws Exception {
    Recorder recorder = new Recorder(1, warmup, measure);
    RedisAsyncCommands<byte[], byte[]> redis = connection.async();
    AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    AtomicInteger inFlight = new AtomicInteger();
    Thread sender = FixedRateHttp.pace("fixed-rate-bare-sender", perSecond, recorder.measureUntil, senderFailure, due -> {
      List<Object> key = List.of(BenchData.user(ThreadLocalRandom.current().nextInt(keys)));
      RedisFuture<byte[]> batch = redis.get(BenchData.bytes(RedisKeys.batchKey(BenchData.NAME, BenchData.VERSION, key)));
      RedisFuture<?> tiles = BenchData.readTiles(redis, BenchData.bytes(RedisKeys.tilesKey(BenchData.NAME, BenchData.VERSION, key)));
      connection.flushCommands();
      inFlight.incrementAndGet();
      batch.toCompletableFuture().thenCombine(tiles.toCompletableFuture(), (b, t) -> (Object) t).whenComplete((t, e) -> {
        long t1 = System.nanoTime();
        if (e != null || !BenchData.complete(t)) recorder.failed(due, e != null ? e.toString() : "bench data missing: run without --reuse");
        else recorder.succeeded(0, due, t1);
        inFlight.decrementAndGet();
      });
    });
    LoadPhase.sleepUntil(recorder.measureFrom);
    long cpuFrom = LoadPhase.processCpuNanos();
    sender.join();
    long cpuUntil = LoadPhase.processCpuNanos();
    for (int i = 0; i < 1000 && inFlight.get() > 0; i++) Thread.sleep(10);
    if (senderFailure.get() != null) throw new IOException("the sender failed", senderFailure.get());
    return recorder.result(name, 1, cpuUntil - cpuFrom);
  }
}
