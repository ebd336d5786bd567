package dev.tessera.batch.remote;

import dev.tessera.agg.testkit.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch worker, the service started with {@code tessera.batch.remote.role=worker} in a JVM of its
 * own from the test classpath (its log in {@code target/<id>.log}): up when {@code /actuator/health}
 * answers 200.
 */
public record WorkerProcess(String id, Process process, int port, File log) {
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  /** JVM flags for a test's worker: a small heap and C1 only, to start fast on shared cores. */
  public static final List<String> TEST_JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

  /**
   * @param chunkDelayMillis how long each chunk is held after its commit (0: none), see {@link SlowWorkerApplication}
   * @param jvm the JVM's flags (heap, GC, JIT)
   * @param args the store and broker settings every process of the test shares ({@code --name=value})
   */
  public static WorkerProcess start(String id, long chunkDelayMillis, List<String> jvm, List<String> args) {
    int port = ChildJvm.freePort();
    List<String> flags = new ArrayList<>(jvm);
    flags.add("-Dtessera.test.chunk-delay-ms=" + chunkDelayMillis);
    List<String> all = new ArrayList<>(List.of("--server.port=" + port, "--tessera.batch.remote.role=worker",
        "--tessera.batch.remote.worker-id=" + id));
    all.addAll(args);
    List<String> cmd = ChildJvm.command(flags, SlowWorkerApplication.class.getName(), all);
    File log = Path.of("target", id + ".log").toFile();
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new WorkerProcess(id, p, port, log);
  }

  /** Waits until the worker answers its health check; fails with its log's name when it does not. */
  public WorkerProcess awaitUp() {
    long until = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      if (!process.isAlive()) throw new IllegalStateException(id + " exited with " + process.exitValue() + " (log: " + log + ")");
      if (healthy()) return this;
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(id + " did not come up within " + START_TIMEOUT + " (log: " + log + ")");
  }

  public boolean healthy() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/actuator/health").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  /** The body of {@code /actuator/health}: the status and its components. */
  public String health() {
    try (var in = URI.create("http://127.0.0.1:" + port + "/actuator/health").toURL().openStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGSTOP: the process is frozen as by a long GC pause; it stops heartbeating but keeps its connections and state. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT: the frozen process goes on where it was, unaware of the time it lost. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
      if (exit != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The worker's log so far. */
  public String logText() {
    try {
      return java.nio.file.Files.readString(log.toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: the process gets no chance to leave the Kafka group or mark anything. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
