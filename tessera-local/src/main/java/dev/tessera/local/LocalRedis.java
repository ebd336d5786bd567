package dev.tessera.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's Redis: a server that is configured or already answering on 6379 is used as it
 * is; otherwise the machine's own {@code valkey-server} or {@code redis-server} (found on the PATH)
 * starts on a free port with its data in the data folder (append-only file), so features survive a
 * restart. No server binary ships with Tessera: the one of the embedded-redis jar was Redis 6.2.6,
 * old and with known vulnerabilities, and none newer is published; the operating system's package
 * gets security fixes. Without any, the stack stops with an install hint ({@link #INSTALL_HINT}).
 */
final class LocalRedis implements AutoCloseable {
  /** The servers looked for on the PATH, in this order (Valkey: BSD-licensed, the Redis protocol). */
  static final List<String> SERVERS = List.of("valkey-server", "redis-server");
  static final String INSTALL_HINT = "no Redis answers on 127.0.0.1:6379 and neither valkey-server nor redis-server is on the PATH."
      + " Install one (Debian/Ubuntu: sudo apt-get install valkey-server, or redis-server; Fedora: sudo dnf install valkey;"
      + " macOS: brew install valkey), start any Redis on 6379, or give one with --redis=HOST:PORT";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final String host;
  private final int port;
  private final Process own;

  private LocalRedis(String host, int port, Process own) {
    this.host = host;
    this.port = port;
    this.own = own;
  }

  static LocalRedis startOrConnect(String configuredHost, Integer configuredPort, Path dataDir) throws IOException {
    if (configuredHost != null) {
      int p = configuredPort == null ? 6379 : configuredPort;
      if (!answersPing(configuredHost, p)) {
        throw new IOException("the configured Redis at " + configuredHost + ":" + p + " does not answer PING");
      }
      return new LocalRedis(configuredHost, p, null);
    }
    if (answersPing("127.0.0.1", 6379)) return new LocalRedis("127.0.0.1", 6379, null);
    return startOwn(dataDir);
  }

  /** A server of the stack's own (the machine's binary) on a free port, its data in {@code <dataDir>/redis}. */
  static LocalRedis startOwn(Path dataDir) throws IOException {
    return startOwn(dataDir, System.getenv("PATH"));
  }

  /** {@link #startOwn(Path)} with the server looked for on {@code path}. */
  static LocalRedis startOwn(Path dataDir, String path) throws IOException {
    Path server = serverOnPath(path).orElseThrow(() -> new IOException(INSTALL_HINT));
    Path dir = dataDir.resolve("redis").toAbsolutePath();
    Files.createDirectories(dir);
    int port = Ports.free();
    Path log = dir.resolve("server.log");
    Process process = new ProcessBuilder(server.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--appendonly", "yes", "--save", "60 1", "--daemonize", "no")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answersPing("127.0.0.1", port)) {
      if (!process.isAlive()) throw new IOException(server + " exited with " + process.exitValue() + " at start: see " + log);
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException(server + " did not answer PING on port " + port + " within " + START_TIMEOUT.toSeconds() + " s: see " + log);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("interrupted while " + server + " started", e);
      }
    }
    return new LocalRedis("127.0.0.1", port, process);
  }

  /** The first of {@link #SERVERS} that is an executable file in a directory of {@code path}. */
  static Optional<Path> serverOnPath(String path) {
    if (path == null) return Optional.empty();
    for (String name : SERVERS) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static boolean answersPing(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** Whether the stack started this server (and stops it). */
  boolean isOwn() {
    return own != null;
  }

  /** Stops a server of the stack's own: SIGTERM, on which Redis writes its data, then waits for it. */
  @Override
  public void close() throws IOException {
    if (own == null) return;
    own.destroy();
    try {
      if (!own.waitFor(20, TimeUnit.SECONDS)) own.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      own.destroyForcibly();
    }
  }
}
