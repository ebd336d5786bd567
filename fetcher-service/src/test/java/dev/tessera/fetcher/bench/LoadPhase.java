package dev.tessera.fetcher.bench;

import java.time.Duration;

/**
 * Runs one operation from {@code concurrency} threads in a closed loop: a warm-up, then a measured
 * window ({@link Recorder}).
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
    Recorder recorder = new Recorder(concurrency, warmup, measure);
    Thread[] threads = new Thread[concurrency];
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      threads[w] = Thread.ofPlatform().name("load-" + w).start(() -> {
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= recorder.measureUntil) break;
          try {
            op.run(worker);
          } catch (Exception e) {
            recorder.failed(t0, e.toString());
            continue;
          }
          recorder.succeeded(worker, t0, System.nanoTime());
        }
      });
    }
    sleepUntil(recorder.measureFrom);
    long cpuFrom = processCpuNanos();
    sleepUntil(recorder.measureUntil);
    long cpuUntil = processCpuNanos();
    for (Thread t : threads) t.join();
    return recorder.result(name, concurrency, cpuUntil - cpuFrom);
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
