package dev.tessera.fetcher.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the workers of one load phase record: a warm-up, then a measured window. Every operation
 * that starts and ends inside the window counts, its latency kept exactly (sorted at the end, no
 * histogram rounding). Each worker records into its own array; a worker's operations run one
 * after another, so they need no lock.
 */
final class Recorder {
  final long measureFrom;
  final long measureUntil;
  private final Duration measure;
  private final long[][] latencies;
  private final int[] counts;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  Recorder(int workers, Duration warmup, Duration measure) {
    this.measureFrom = System.nanoTime() + warmup.toNanos();
    this.measureUntil = measureFrom + measure.toNanos();
    this.measure = measure;
    this.latencies = new long[workers][4096];
    this.counts = new int[workers];
  }

  /** An operation of {@code worker} that started at {@code t0} and succeeded at {@code t1} ({@link System#nanoTime()}). */
  void succeeded(int worker, long t0, long t1) {
    if (t0 < measureFrom || t1 > measureUntil) return;
    if (counts[worker] == latencies[worker].length) latencies[worker] = Arrays.copyOf(latencies[worker], counts[worker] * 2);
    latencies[worker][counts[worker]++] = t1 - t0;
  }

  /** An operation that started at {@code t0} and failed. */
  void failed(long t0, String error) {
    if (t0 >= measureFrom) errors.incrementAndGet();
    firstError.compareAndSet(null, error);
  }

  /** The phase's result, once every worker has stopped. */
  LoadPhase.Result result(String name, int concurrency, long cpuNanos) {
    int total = 0;
    for (int c : counts) total += c;
    long[] all = new long[total];
    int at = 0;
    for (int w = 0; w < counts.length; w++) {
      System.arraycopy(latencies[w], 0, all, at, counts[w]);
      at += counts[w];
    }
    Arrays.sort(all);
    if (firstError.get() != null) System.out.println("  " + name + " at " + concurrency + ": first error: " + firstError.get());
    LoadPhase.printTail(name, concurrency, all);
    return new LoadPhase.Result(name, concurrency, total, measure.toNanos() / 1e9, errors.get(), all, cpuNanos);
  }
}
