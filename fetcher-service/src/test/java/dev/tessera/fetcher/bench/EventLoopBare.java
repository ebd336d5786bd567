package dev.tessera.fetcher.bench;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The bare Lettuce client driven the way {@link EventLoopHttp} drives the fetcher: {@code
 * concurrency} reads in flight, each next one issued from the completion of the last, so no
 * thread of the load generator's own is woken per read (the completions run on Lettuce's event
 * loop, which then also writes the next commands).
 */
final class EventLoopBare {
  private EventLoopBare() {}

  /** The entities one read fetches: per entity its batch IR key and its tiles key, added to the two lists. */
  @FunctionalInterface
  interface Entities {
    void pick(ThreadLocalRandom random, List<byte[]> batchKeys, List<byte[]> tilesKeys);
  }

  /** {@code batch} random users of the bench GroupBy. */
  static Entities users(int keys, int batch) {
    return (r, batchKeys, tilesKeys) -> {
      for (int k = 0; k < batch; k++) {
        List<Object> key = List.of(BenchData.user(r.nextInt(keys)));
        batchKeys.add(BenchData.bytes(RedisKeys.batchKey(BenchData.NAME, BenchData.VERSION, key)));
        tilesKeys.add(BenchData.bytes(RedisKeys.tilesKey(BenchData.NAME, BenchData.VERSION, key)));
      }
    };
  }

  static LoadPhase.Result run(String name, StatefulRedisConnection<byte[], byte[]> connection, int keys, int batch, int concurrency,
      Duration warmup, Duration measure) throws InterruptedException {
    return run(name, connection, users(keys, batch), concurrency, warmup, measure);
  }

  static LoadPhase.Result run(String name, StatefulRedisConnection<byte[], byte[]> connection, Entities entities, int concurrency,
      Duration warmup, Duration measure) throws InterruptedException {
    Recorder recorder = new Recorder(concurrency, warmup, measure);
    CountDownLatch done = new CountDownLatch(concurrency);
    RedisAsyncCommands<byte[], byte[]> redis = connection.async();
    for (int s = 0; s < concurrency; s++) new Slot(s, redis, connection, entities, recorder, done).next();
    LoadPhase.sleepUntil(recorder.measureFrom);
    long cpuFrom = LoadPhase.processCpuNanos();
    LoadPhase.sleepUntil(recorder.measureUntil);
    long cpuUntil = LoadPhase.processCpuNanos();
    if (!done.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("bare reads did not finish");
    return recorder.result(name, concurrency, cpuUntil - cpuFrom);
  }

  /** One read in flight at a time: GET + the tiles read of each entity picked (what the fetcher reads: {@link BenchData#readTiles}), then the next. */
  private record Slot(int index, RedisAsyncCommands<byte[], byte[]> redis, StatefulRedisConnection<byte[], byte[]> connection,
      Entities entities, Recorder recorder, CountDownLatch done) {

    void next() {
      long t0 = System.nanoTime();
      if (t0 >= recorder.measureUntil) {
        done.countDown();
        return;
      }
      List<byte[]> batchKeys = new ArrayList<>();
      List<byte[]> tilesKeys = new ArrayList<>();
      entities.pick(ThreadLocalRandom.current(), batchKeys, tilesKeys);
      List<RedisFuture<?>> replies = new ArrayList<>(2 * batchKeys.size());
      List<RedisFuture<?>> tiles = new ArrayList<>(batchKeys.size());
      for (int k = 0; k < batchKeys.size(); k++) {
        replies.add(redis.get(batchKeys.get(k)));
        RedisFuture<?> t = BenchData.readTiles(redis, tilesKeys.get(k));
        tiles.add(t);
        replies.add(t);
      }
      connection.flushCommands();
      CompletableFuture.allOf(replies.stream().map(f -> f.toCompletableFuture()).toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
        long t1 = System.nanoTime();
        boolean failed = e != null || tiles.stream().anyMatch(t -> !BenchData.complete(t.toCompletableFuture().join()));
        if (failed) recorder.failed(t0, e != null ? e.toString() : "bench data missing: run without --reuse");
        else recorder.succeeded(index, t0, t1);
        next();
      });
    }
  }
}
