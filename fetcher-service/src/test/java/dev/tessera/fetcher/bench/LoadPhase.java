package dev.tessera.fetcher.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one operation from {@code concurrency} threads in a closed loop: a warm-up, then a measured
 * window. Every operation that starts and ends inside the window counts; its latency is recorded
 * exactly (sorted at the end, no histogram rounding).
 *
 * <p>The workers are platform threads: a platform thread blocked on a socket is woken by the kernel
 * directly, where a virtual thread is woken through the JDK's poller thread and then a carrier;
 * on two cores those two hand-offs would be charged to the fetcher (whose latency includes the
 * client's) and not to the bare client (woken by Lettuce's event loop either way).
 */
final class LoadPhase {
  /** One operation of worker {@code worker}; it throws when the operation failed. */
  interface Operation {
    void run(int worker) throws Exception;
  }

  record Result(String name, int concurrency, long operations, double seconds, long errors, long[] sortedNanos, long cpuNanos) {
    double perSecond() {
      return operations / seconds;
    }

    /** CPU time of this whole JVM (load generator and, for fetcher phases, the fetcher) per operation. */
    double cpuMillisPerOp() {
      return operations == 0 ? Double.NaN : cpuNanos / 1e6 / operations;
    }

    double percentileMillis(double p) {
      if (sortedNanos.length == 0) return Double.NaN;
      int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
      return sortedNanos[Math.max(0, i)] / 1e6;
    }
  }

  static Result run(String name, int concurrency, Duration warmup, Duration measure, Operation op) throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureUntil = measureFrom + measure.toNanos();
    long[][] latencies = new long[concurrency][];
    int[] counts = new int[concurrency];
    AtomicLong errors = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
    Thread[] threads = new Thread[concurrency];
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      threads[w] = Thread.ofPlatform().name("load-" + w).start(() -> {
        long[] mine = new long[4096];
        int n = 0;
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= measureUntil) break;
          try {
            op.run(worker);
          } catch (Exception e) {
            if (t0 >= measureFrom) errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
            continue;
          }
          long t1 = System.nanoTime();
          if (t0 >= measureFrom && t1 <= measureUntil) {
            if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
            mine[n++] = t1 - t0;
          }
        }
        latencies[worker] = mine;
        counts[worker] = n;
      });
    }
    sleepUntil(measureFrom);
    long cpuFrom = processCpuNanos();
    sleepUntil(measureUntil);
    long cpuUntil = processCpuNanos();
    for (Thread t : threads) t.join();
    return result(name, concurrency, measure, latencies, counts, errors.get(), firstError.get(), cpuUntil - cpuFrom);
  }

  /** The result of a phase from the latencies each worker recorded (the first {@code counts[w]} of {@code latencies[w]}). */
  static Result result(String name, int concurrency, Duration measure, long[][] latencies, int[] counts, long errors, String firstError,
      long cpuNanos) {
    int total = 0;
    for (int c : counts) total += c;
    long[] all = new long[total];
    int at = 0;
    for (int w = 0; w < counts.length; w++) {
      System.arraycopy(latencies[w], 0, all, at, counts[w]);
      at += counts[w];
    }
    Arrays.sort(all);
    if (firstError != null) System.out.println("  " + name + " at " + concurrency + ": first error: " + firstError);
    printTail(name, concurrency, all);
    return new Result(name, concurrency, total, measure.toNanos() / 1e9, errors, all, cpuNanos);
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) Thread.sleep(Math.max(1, left / 1_000_000));
  }

  /** With {@code -Dbench.tail=true}: more percentiles of a phase, to see the shape of its latency distribution. */
  static void printTail(String name, int concurrency, long[] sortedNanos) {
    if (!Boolean.getBoolean("bench.tail") || sortedNanos.length == 0) return;
    StringBuilder t = new StringBuilder("  " + name + " at " + concurrency + " tail:");
    for (double p : new double[] {0.5, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999}) {
      int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
      t.append(String.format(java.util.Locale.ROOT, " p%s %.2f", p * 100, sortedNanos[Math.max(0, i)] / 1e6));
    }
    System.out.println(t.append(String.format(java.util.Locale.ROOT, " max %.2f ms", sortedNanos[sortedNanos.length - 1] / 1e6)));
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
