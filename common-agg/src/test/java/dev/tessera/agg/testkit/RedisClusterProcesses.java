package dev.tessera.agg.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for integration tests: three masters with one replica each, started from the
 * machine's {@code redis-server} on free ports (data under {@code target/redis-cluster-<pid>}) and
 * joined by {@code redis-cli --cluster create}. One per test JVM ({@link #shared()}), stopped when the
 * JVM exits. No client library: everything goes through {@code redis-cli}, so that common-agg stays free
 * of Redis clients and every service's tests can use it.
 */
public final class RedisClusterProcesses {
  private static final int NODES = 6;
  private static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);
  private static RedisClusterProcesses shared;

  private final Path dir;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>();

  private RedisClusterProcesses(Path dir) {
    this.dir = dir;
  }

  /** The cluster of this JVM, started on first use. */
  public static synchronized RedisClusterProcesses shared() {
    if (shared == null) {
      RedisClusterProcesses c = new RedisClusterProcesses(Path.of("target", "redis-cluster-" + ProcessHandle.current().pid()).toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "redis-cluster-stop"));
      c.start();
      shared = c;
    }
    return shared;
  }

  private void start() {
    try {
      Files.createDirectories(dir);
      for (int port : freePorts()) startNode(port);
      for (int port : nodes.keySet()) awaitReply(port, List.of("PING"), "PONG", Duration.ofSeconds(10));
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (int port : nodes.keySet()) create.add("127.0.0.1:" + port);
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      String out = run(create);
      if (!out.contains("[OK] All 16384 slots covered")) throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
      awaitHealthy(Duration.ofSeconds(30));
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Ports p with p and its cluster bus port p + 10000 free. */
  private static List<Integer> freePorts() throws IOException {
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < NODES) {
      int p = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (!ports.contains(p) && free(p) && free(p + 10_000)) ports.add(p);
    }
    return ports;
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void startNode(int port) throws IOException {
    Path nodeDir = dir.resolve(Integer.toString(port));
    Files.createDirectories(nodeDir);
    Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()), "--dir",
        nodeDir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no")
        .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start();
    nodes.put(port, p);
  }

  /** {@code host:port,...} of every node, for {@code spring.data.redis.cluster.nodes}. */
  public String seeds() {
    return nodes.keySet().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** The ports of the nodes that run (masters and replicas). */
  public List<Integer> ports() {
    return nodes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
  }

  /** The ports of the masters that serve slots now. */
  public List<Integer> masters() {
    List<Integer> masters = new ArrayList<>();
    for (String line : command(ports().getFirst(), "CLUSTER", "NODES").split("\n")) {
      String[] f = line.split(" ");
      if (f[2].contains("master") && !f[2].contains("fail") && f.length > 8) masters.add(port(f[1]));
    }
    return masters;
  }

  /** The port of a CLUSTER NODES address, {@code ip:port@busport}. */
  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
  }

  /** A command on one node, its reply as {@code redis-cli} prints it. */
  public String command(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    return run(cmd).strip();
  }

  /** The port of the master that serves {@code key}'s slot now. */
  public int masterOf(String key) {
    int any = ports().getFirst();
    long slot = Long.parseLong(command(any, "CLUSTER", "KEYSLOT", key));
    for (String line : command(any, "CLUSTER", "NODES").split("\n")) {
      String[] f = line.split(" ");
      if (!f[2].contains("master") || f[2].contains("fail")) continue;
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        if (range[0].startsWith("[")) continue;
        long from = Long.parseLong(range[0]), to = range.length > 1 ? Long.parseLong(range[1]) : from;
        if (slot >= from && slot <= to) return port(f[1]);
      }
    }
    throw new IllegalStateException("no master serves slot " + slot + " of " + key);
  }

  /** Waits until the replica of the master on {@code port} has every write the master has. */
  public void awaitReplicated(int port, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String info = command(port, "INFO", "replication");
      long master = -1, replica = -1;
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("master_repl_offset:")) master = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
        if (line.startsWith("slave0:")) {
          for (String kv : line.substring(7).split(",")) if (kv.startsWith("offset=")) replica = Long.parseLong(kv.substring(7));
        }
      }
      if (master >= 0 && replica >= master) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("the replica of " + port + " did not catch up:\n" + info);
      pause(50);
    }
  }

  /** Kills a node at once (SIGKILL), as a crashed machine would go. */
  public void kill(int port) {
    Process p = nodes.get(port);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a killed node again on its port and data: it rejoins the cluster (as a replica once another master took its slots). */
  public void restart(int port) {
    try {
      startNode(port);
      awaitReply(port, List.of("PING"), "PONG", Duration.ofSeconds(10));
      awaitHealthy(Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until every running node says the cluster is ok and three masters serve all slots. */
  public void awaitHealthy(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      boolean ok = true;
      for (int port : ports()) {
        String info = command(port, "CLUSTER", "INFO");
        ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
      }
      if (ok) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("the Redis Cluster is not ok after " + within + ":\n"
          + command(ports().getFirst(), "CLUSTER", "NODES"));
      pause(100);
    }
  }

  private void awaitReply(int port, List<String> command, String expected, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!command(port, command.toArray(String[]::new)).equals(expected)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("Redis on port " + port + " did not answer " + expected);
      pause(50);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private synchronized void stop() {
    for (Process p : nodes.values()) p.destroyForcibly();
  }
}
