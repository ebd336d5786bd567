package dev.tessera.fetcher.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fetcher's own cost per Join request, measured from outside its process (docs/benchmarks.md,
 * "Fetcher CPU per Join request"): drives one-row (or {@code --rows}) Join fetches at
 * {@code --concurrency} against a fetcher that {@code FetchLoadGenerator --only=join --serve} left
 * serving in another JVM, and reads that JVM's CPU time ({@code /proc/<pid>/stat} utime + stime)
 * and its allocated bytes (Micrometer's {@code jvm.gc.memory.allocated}, after a {@code GC.run} at
 * each end so the counter is current) over the measured seconds. The load generator's own CPU is
 * thus not counted, which a phase in the fetcher's JVM cannot tell apart on a shared machine.
 *
 * <pre>
 * --port=18080 --pid=PID --keys=50000 --rows=1 --concurrency=16 --warmup=10 --seconds=20 --repeat=3
 * </pre>
 */
public final class JoinCpuDriver {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int port = Integer.parseInt(a.getOrDefault("port", "18080"));
    long pid = Long.parseLong(a.get("pid"));
    int rows = Integer.parseInt(a.getOrDefault("rows", "1"));
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "16"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup", "10")));
    Duration measure = Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "20")));
    int repeat = Integer.parseInt(a.getOrDefault("repeat", "3"));
    JoinBench join = new JoinBench(Integer.parseInt(a.getOrDefault("keys", "50000")));

    // gently first, so that a cold fetcher does not trip its own circuit breaker
    EventLoopHttp.run("warm-up", port, JoinBench.path(), 1, Duration.ZERO, warmup.dividedBy(4), () -> join.body(rows));
    EventLoopHttp.run("warm-up", port, JoinBench.path(), concurrency, Duration.ZERO, warmup, () -> join.body(rows));
    for (int i = 0; i < repeat; i++) {
      gc(pid);
      double allocatedFrom = allocated(port);
      long ticksFrom = cpuTicks(pid);
      LoadPhase.Result r = EventLoopHttp.run("join", port, JoinBench.path(), concurrency, Duration.ZERO, measure, () -> join.body(rows));
      long ticks = cpuTicks(pid) - ticksFrom;
      gc(pid);
      double allocated = allocated(port) - allocatedFrom;
      double cpuSeconds = (double) ticks / TICKS_PER_SECOND;
      System.out.printf(Locale.ROOT,
          "join %d-row c=%d: %8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  errors %d | fetcher CPU %.2f s per 10k requests, %.0f KB allocated per request | load %s%n",
          rows, concurrency, r.perSecond(), r.percentileMillis(0.5), r.percentileMillis(0.99), r.errors(),
          cpuSeconds / r.operations() * 10_000, allocated / r.operations() / 1024, Files.readString(Path.of("/proc/loadavg")).trim());
    }
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5): utime, stime
  }

  private static void gc(long pid) throws Exception {
    new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }

  private static final Pattern VALUE = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.E+]+)");

  private static double allocated(int port) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/metrics/jvm.gc.memory.allocated")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = VALUE.matcher(body);
      if (!m.find()) throw new IllegalStateException("no jvm.gc.memory.allocated in " + body);
      return Double.parseDouble(m.group(1));
    }
  }
}
