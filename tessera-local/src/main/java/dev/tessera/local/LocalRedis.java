package dev.tessera.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * The local stack's Redis: a server that is configured or already answering on 6379 is used as it
 * is; otherwise a real Redis (6.2, from the embedded-redis jar) starts on a free port with its data
 * in the data folder (append-only file), so features survive a restart.
 */
final class LocalRedis implements AutoCloseable {
  private final String host;
  private final int port;
  private final RedisServer embedded;

  private LocalRedis(String host, int port, RedisServer embedded) {
    this.host = host;
    this.port = port;
    this.embedded = embedded;
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
    return startEmbedded(dataDir);
  }

  /** A Redis of its own (from the embedded-redis jar) on a free port, its data in {@code <dataDir>/redis}. */
  static LocalRedis startEmbedded(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("redis");
    Files.createDirectories(dir);
    int port = Ports.free();
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("dir " + dir.toAbsolutePath())
        .setting("appendonly yes")
        .setting("save 60 1")
        .build();
    server.start();
    return new LocalRedis("127.0.0.1", port, server);
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

  boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) embedded.stop();
  }
}
