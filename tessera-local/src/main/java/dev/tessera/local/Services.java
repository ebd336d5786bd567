package dev.tessera.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The four services of one stack as child JVMs, configured so that all their state lives in the
 * stack's data folder and they find Kafka, Redis and each other on the stack's ports.
 */
final class Services implements AutoCloseable {
  private final StackConfig config;
  private final Map<Service, ServiceProcess> processes = new EnumMap<>(Service.class);

  Services(StackConfig config) {
    this(config, Map.of());
  }

  /** @param extra further properties per service, added after (and so overriding) the stack's own */
  Services(StackConfig config, Map<Service, Map<String, String>> extra) {
    this.config = config;
    for (Service s : Service.values()) processes.put(s, process(s, extra.getOrDefault(s, Map.of())));
  }

  private ServiceProcess process(Service s, Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>();
    Map<String, String> env = new LinkedHashMap<>();
    p.put("spring.kafka.bootstrap-servers", config.kafkaBootstrap());
    // Spring Boot's Kafka settings reach every Kafka client of a service (platform-support's KafkaClients);
    // secrets go through the environment, as the registry's login does
    if (config.kafkaLogin() != null) {
      p.put("spring.kafka.security.protocol", config.kafkaTls() == null ? "SASL_PLAINTEXT" : "SASL_SSL");
      p.put("spring.kafka.properties.sasl.mechanism", LocalKafka.SCRAM_MECHANISM);
      env.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", config.kafkaLogin().jaasConfig());
    } else if (config.kafkaTls() != null) {
      p.put("spring.kafka.security.protocol", "SSL");
    }
    if (config.kafkaTls() != null) {
      p.put("spring.kafka.ssl.bundle", "kafka");
      p.put("spring.ssl.bundle.jks.kafka.truststore.type", "PKCS12");
      p.put("spring.ssl.bundle.jks.kafka.truststore.location", "file:" + config.kafkaTls().trustStore());
      env.put("SPRING_SSL_BUNDLE_JKS_KAFKA_TRUSTSTORE_PASSWORD", config.kafkaTls().password());
    }
    p.put("server.address", config.bindAddress());
    // batch and stream check every write's credential with the registry (README "Security")
    if (s != Service.REGISTRY) p.put("tessera.security.registry-url", config.url(Service.REGISTRY));
    switch (s) {
      case REGISTRY -> {
        p.put("tessera.registry.data-dir", config.dataDir().resolve("registry").toString());
        // the admin UI's fetch box, consistency page and Metrics page read the other three services
        p.put("tessera.registry.fetcher-url", config.url(Service.FETCHER));
        p.put("tessera.registry.batch-url", config.url(Service.BATCH));
        p.put("tessera.registry.stream-url", config.url(Service.STREAM));
        // the login goes through the environment: command-line arguments are visible to every local user
        env.put("TESSERA_REGISTRY_SECURITY_USERS_0_NAME", config.adminUser());
        env.put("TESSERA_REGISTRY_SECURITY_USERS_0_PASSWORD", config.adminPassword());
        env.put("TESSERA_REGISTRY_SECURITY_USERS_0_ROLES", "ADMIN");
      }
      case BATCH -> {
        redis(p);
        p.put("tessera.batch.data-dir", config.dataDir().resolve("batch").toString());
        // DuckDB's memory is outside the heap; the default 2 GB is more than a laptop stack needs
        p.put("tessera.batch.warehouse.memory-limit", "1GB");
        // older versions' definitions, for consistency checks of fetches logged under them
        p.put("tessera.batch.registry-url", config.url(Service.REGISTRY));
      }
      case STREAM -> {
        redis(p);
        p.put("tessera.stream.state-dir", config.dataDir().resolve("stream").toString());
      }
      case FETCHER -> {
        redis(p);
        p.put("tessera.fetcher.registry.url", config.url(Service.REGISTRY));
      }
    }
    p.putAll(extra);
    return new ServiceProcess(s.module(), s.jar(config.home()), config.ports().get(s), p, env, config.logs());
  }

  private void redis(Map<String, String> p) {
    p.put("spring.data.redis.host", config.redisHost());
    p.put("spring.data.redis.port", String.valueOf(config.redisPort()));
  }

  ServiceProcess get(Service s) {
    return processes.get(s);
  }

  /**
   * Starts {@code which} at once and waits until each is healthy; {@code ready} hears of each as it
   * gets there (with the seconds it took). A service that dies fails the whole start.
   */
  void startAll(Set<Service> which, Duration timeout, BiConsumer<Service, Long> ready) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    for (Service s : which) processes.get(s).start();
    writePids();
    Set<Service> waiting = EnumSet.copyOf(which);
    long deadline = t0 + timeout.toNanos();
    while (!waiting.isEmpty()) {
      for (Service s : List.copyOf(waiting)) {
        ServiceProcess p = processes.get(s);
        p.checkAlive();
        if (p.isHealthy()) {
          waiting.remove(s);
          ready.accept(s, (System.nanoTime() - t0) / 1_000_000_000L);
        }
      }
      if (waiting.isEmpty()) break;
      if (System.nanoTime() > deadline) {
        ServiceProcess slow = processes.get(waiting.iterator().next());
        throw new IOException(slow.name() + " did not become healthy within " + timeout.toSeconds() + " s; last lines of "
            + slow.log() + ":\n" + slow.tail(40));
      }
      Thread.sleep(500);
    }
  }

  /** The services as a {@link Supervisor} sees them. */
  Supervisor.Children supervised() {
    return new Supervisor.Children() {
      @Override
      public boolean isAlive(Service s) {
        return processes.get(s).isAlive();
      }

      @Override
      public void restart(Service s) throws IOException {
        Services.this.restart(s);
      }

      @Override
      public String tail(Service s) {
        return processes.get(s).tail(20) + "\n(log: " + processes.get(s).log() + ")";
      }
    };
  }

  /** Starts a service that died again (the stack's supervisor), recording its new process for a later cleanup. */
  void restart(Service s) throws IOException {
    processes.get(s).start();
    writePids();
  }

  static final String PID_FILE = "services.pids";

  /** Records the running children, so that a next start can stop them if this process is killed without cleaning up. */
  private void writePids() throws IOException {
    StringBuilder b = new StringBuilder();
    for (Service s : Service.values()) {
      Process p = processes.get(s).process();
      if (p != null && p.isAlive()) b.append(p.pid()).append(' ').append(s.module()).append('\n');
    }
    Files.writeString(config.dataDir().resolve(PID_FILE), b.toString());
  }

  /**
   * Stops services that an earlier stack on {@code dataDir} left running (it was killed with
   * SIGKILL, so its children lived on, holding the ports and the DuckDB file). Only processes that
   * still run that service's jar are touched. Returns how many were stopped.
   */
  static int stopLeftovers(Path dataDir) throws IOException, InterruptedException {
    Path file = dataDir.resolve(PID_FILE);
    if (!Files.exists(file)) return 0;
    List<ProcessHandle> leftovers = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split(" ", 2);
      if (f.length < 2) continue;
      Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(f[0]));
      if (h.isPresent() && h.get().isAlive()
          && h.get().info().commandLine().map(c -> c.contains(f[1] + "-0.1.0-SNAPSHOT.jar")).orElse(false)) {
        h.get().destroy();
        leftovers.add(h.get());
      }
    }
    for (ProcessHandle h : leftovers) {
      try {
        h.onExit().get(20, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        h.destroyForcibly();
      }
    }
    Files.delete(file);
    return leftovers.size();
  }

  /** Stops every running service: all are asked at once, then each is waited for (and killed after a grace period). */
  @Override
  public void close() {
    List<Service> order = List.of(Service.FETCHER, Service.STREAM, Service.BATCH, Service.REGISTRY);
    for (Service s : order) processes.get(s).signalStop();
    for (Service s : order) processes.get(s).close();
    try {
      Files.deleteIfExists(config.dataDir().resolve(PID_FILE));
    } catch (IOException ignored) {
      // a stale file is checked against the running processes anyway
    }
  }
}
