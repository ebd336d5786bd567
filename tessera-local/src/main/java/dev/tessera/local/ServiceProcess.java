package dev.tessera.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Tessera service running as its own JVM from its executable jar, as in production. Its output
 * goes to a log file in the data folder; it is ready when {@code /actuator/health} answers UP.
 */
final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final Path jar;
  private final int port;
  private final Map<String, String> properties;
  private final Map<String, String> environment;
  private final Path log;
  private static final HttpClient HEALTH_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile Process process;

  ServiceProcess(String name, Path jar, int port, Map<String, String> properties, Path logDir) {
    this(name, jar, port, properties, Map.of(), logDir);
  }

  /**
   * @param environment extra environment variables of the child; secrets go here rather than into
   *     {@code properties}, which become command-line arguments that any local user can read with ps
   */
  ServiceProcess(String name, Path jar, int port, Map<String, String> properties, Map<String, String> environment, Path logDir) {
    this.name = name;
    this.jar = jar;
    this.port = port;
    this.properties = Map.copyOf(properties);
    this.environment = Map.copyOf(environment);
    this.log = logDir.resolve(name + ".log");
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  /** Where it answers: the address it binds ({@code server.address}), or localhost when it binds none or all. */
  String url() {
    return url(properties.getOrDefault("server.address", "0.0.0.0"), port);
  }

  /** The URL of a service that binds {@code address} on {@code port}, as a client on this machine reaches it. */
  static String url(String address, int port) {
    boolean everywhere = address.equals("0.0.0.0") || address.equals("::");
    return "http://" + (everywhere ? "localhost" : address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }

  Path log() {
    return log;
  }

  void start() throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(name + " is not built: " + jar + " is missing (run ./mvnw -DskipTests package)");
    }
    if (Ports.inUse(port)) {
      throw new IOException("port " + port + " for " + name + " is taken: stop what listens there or choose another port");
    }
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    // small heaps and a serial collector: five JVMs share a laptop's cores
    cmd.add("-XX:+UseSerialGC");
    // C1 only: the services start in about half the CPU time, and the local stack's load is light
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--server.port=" + port);
    properties.forEach((k, v) -> cmd.add("--" + k + "=" + v));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
  }

  /** Waits until the service reports UP; fails early with the log's tail when it died. */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      checkAlive();
      if (isHealthy()) return;
      Thread.sleep(500);
    }
    throw new IOException(name + " did not become healthy within " + timeout.toSeconds() + " s; last lines of " + log + ":\n" + tail(40));
  }

  /** Fails with the log's tail when the process has stopped. */
  void checkAlive() throws IOException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IOException(name + " stopped" + (p == null ? "" : " (exit " + p.exitValue() + ")") + "; last lines of " + log + ":\n" + tail(40));
    }
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** The service answers UP right now (one short request). */
  boolean isHealthy() {
    if (!isAlive()) return false;
    try {
      HttpResponse<String> r = HEALTH_CLIENT.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Process process() {
    return process;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Asks the service to stop (SIGTERM: Spring closes its contexts) without waiting. */
  void signalStop() {
    Process p = process;
    if (p != null) p.destroy();
  }

  /** Stops the service gracefully (SIGTERM), forcibly after a grace period. */
  @Override
  public void close() {
    Process p = process;
    if (p == null) return;
    p.destroy();
    try {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Kills the service without letting it clean up, as a crash would. */
  void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly().waitFor();
    process = null;
  }
}
