package dev.tessera.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/tessera local [--demo]}: the whole platform on this machine. An in-process Kafka broker,
 * Redis (one already running, else the machine's valkey-server or redis-server), the four services as child JVMs with all their files in
 * the data folder, and optionally the fraud demo. Ctrl-C stops everything in reverse order; the next
 * start on the same data folder keeps everything.
 */
@Command(name = "tessera local", mixinStandardHelpOptions = true, version = "tessera 0.1.0", sortOptions = false,
    description = "Run the whole Tessera platform on this machine (Kafka, Redis, DuckDB/H2 files, the four services).",
    footer = {"", "Stop with Ctrl-C. Starting again on the same --data-dir keeps every definition, job, event and feature."})
public final class LocalStack implements Callable<Integer> {
  @Option(names = "--demo", description = "also run the fraud-detection demo: history, three GroupBys and the fraud_model Join, backfill, upload, streaming, live purchases")
  boolean demo;

  @Option(names = "--data-dir", defaultValue = "./tessera-data", description = "where everything is kept (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--reset", description = "delete the data folder (and the demo's keys in Redis) first and start from scratch")
  boolean reset;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka broker port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--fetcher-port", defaultValue = "8080", description = "default: ${DEFAULT-VALUE}")
  int fetcherPort;

  @Option(names = "--registry-port", defaultValue = "8081", description = "registry and admin UI (default: ${DEFAULT-VALUE})")
  int registryPort;

  @Option(names = "--batch-port", defaultValue = "8082", description = "default: ${DEFAULT-VALUE}")
  int batchPort;

  @Option(names = "--stream-port", defaultValue = "8083", description = "default: ${DEFAULT-VALUE}")
  int streamPort;

  @Option(names = "--redis", paramLabel = "HOST:PORT",
      description = "the Redis to use (default: 127.0.0.1:6379 when one answers there, else the machine's valkey-server or redis-server on a free port)")
  String redis;

  @Option(names = {"--own-redis", "--embedded-redis"},
      description = "always start a Redis of the stack's own (the machine's valkey-server or redis-server), even when one answers on 6379")
  boolean embeddedRedis;

  @Option(names = "--json-logs", description = "the services log one JSON object a line (ECS, with the request id) instead of plain text")
  boolean jsonLogs;

  @Option(names = "--bind", defaultValue = StackConfig.LOOPBACK, paramLabel = "ADDRESS",
      description = "address the four services listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 opens them to the network)")
  String bind;

  @Option(names = "--demo-users", defaultValue = "5000", description = "users in the demo (default: ${DEFAULT-VALUE}; only on the first start)")
  int demoUsers;

  @Option(names = "--live-rate", defaultValue = "3", description = "live demo purchases per second (default: ${DEFAULT-VALUE})")
  double liveRate;

  private final Progress progress = new Progress(System.out);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object lifecycle = new Object();
  private boolean stopping;
  private FileLock lock;
  private LocalKafka kafka;
  private LocalRedis localRedis;
  private Services services;
  private FraudDemo fraudDemo;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalStack()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (reset) resetDataDir(dir);
    Files.createDirectories(dir.resolve("logs"));
    quietLogging(dir.resolve("logs").resolve("tessera-local.log"));
    lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE).tryLock();
    if (lock == null) {
      System.err.println("Another local stack is running on " + dir + " (stop it first, or use another --data-dir).");
      return 1;
    }
    progress.step("Tessera local stack, data in " + dir + (demo ? ", with the fraud demo" : ""));
    int leftovers = Services.stopLeftovers(dir);
    if (leftovers > 0) progress.step("Stopped " + leftovers + " services that an earlier stack on this data folder left running");
    String busy = busyPorts();
    if (busy != null) {
      System.err.println(busy);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "tessera-local-shutdown"));
    try {
      start(dir);
    } catch (Exception e) {
      boolean interrupted;
      synchronized (lifecycle) {
        interrupted = stopping;
      }
      if (interrupted) return 130;
      System.err.println();
      System.err.println("Start failed: " + e.getMessage());
      System.err.println("Logs: " + dir.resolve("logs"));
      stop();
      return 1;
    }
    watch();
    return 0;
  }

  private void start(Path dir) throws Exception {
    StackState state = new StackState(dir);
    String password = state.get("admin.password");
    if (password == null) {
      password = newPassword();
      state.put("admin.password", password);
    }

    int controllerPort = (int) state.getLong("kafka.controller.port", 0);
    if (controllerPort == 0 || Ports.inUse(controllerPort)) {
      controllerPort = Ports.free();
      state.put("kafka.controller.port", String.valueOf(controllerPort));
    }
    synchronized (lifecycle) {
      if (stopping) return;
      kafka = new LocalKafka(dir.resolve("kafka"), kafkaPort, controllerPort);
    }
    kafka.start();
    progress.step("Kafka broker (KRaft, in this process) on " + kafka.bootstrapServers() + ", log in " + dir.resolve("kafka"));

    LocalRedis r;
    if (redis != null) {
      String[] hp = redis.split(":", 2);
      r = LocalRedis.startOrConnect(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : 6379, dir);
    } else {
      r = embeddedRedis ? LocalRedis.startOwn(dir) : LocalRedis.startOrConnect(null, null, dir);
    }
    synchronized (lifecycle) {
      localRedis = r;
    }
    progress.step(r.isOwn() ? "Redis (the machine's server, the stack's own) on " + r.host() + ":" + r.port() + ", data in " + dir.resolve("redis")
        : "Redis: using the server already running on " + r.host() + ":" + r.port());

    Map<Service, Integer> ports = new EnumMap<>(Service.class);
    ports.put(Service.REGISTRY, registryPort);
    ports.put(Service.BATCH, batchPort);
    ports.put(Service.STREAM, streamPort);
    ports.put(Service.FETCHER, fetcherPort);
    // the services run from copies in the data folder, so that a rebuild cannot pull their jars from under them
    StackConfig config = new StackConfig(Service.stage(Service.home(), dir.resolve("jars")), dir, kafka.bootstrapServers(), r.host(), r.port(), ports, "admin", password, bind);

    if (demo) {
      fraudDemo = new FraudDemo(config, state, progress, demoUsers, liveRate);
      fraudDemo.prepareWarehouse();
    }

    synchronized (lifecycle) {
      if (stopping) return;
      // the demo's fetcher logs every fetch for `tessera consistency`. The stream keeps its default
      // partitioning (repartition): the purchases are keyed by user_id, but merchant_features and
      // buyer_merchant_features read them by other keys, which `source` partitioning would dead-letter
      Map<Service, Map<String, String>> extra = new EnumMap<>(Service.class);
      for (Service s : Service.values()) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        // Spring Boot's structured logging: every MDC entry, the request id among them, is a field
        if (jsonLogs) p.put("logging.structured.format.console", "ecs");
        if (demo && s == Service.FETCHER) p.put("tessera.fetcher.feature-log.sample-rate", "1");
        extra.put(s, p);
      }
      services = new Services(config, extra);
    }
    progress.step("Starting the four services (each a JVM; about a minute on 2 cores; logs in " + config.logs() + ")...");
    services.startAll(EnumSet.allOf(Service.class), Duration.ofMinutes(5),
        (s, seconds) -> progress.detail(String.format("%-16s ready on %s (%d s)", s.module(), config.url(s), seconds)));

    if (demo) fraudDemo.run();
    Summary.print(System.out, config, r, demo ? demoUsers : 0, progress.seconds());
  }

  /**
   * Until Ctrl-C: a service that dies is started again, with a backoff and a message ({@link Supervisor}).
   * Restarts happen under the lifecycle lock, so Ctrl-C stops whatever process a service has now.
   */
  private void watch() throws InterruptedException {
    Supervisor supervisor = new Supervisor(services.supervised(), System.err, System.currentTimeMillis());
    while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
      synchronized (lifecycle) {
        if (stopping || services == null) continue;
        supervisor.check(System.currentTimeMillis());
      }
    }
  }

  /** Reverse order: demo traffic, services, broker, the stack's own Redis. Safe to call twice and from any thread. */
  private void stop() {
    synchronized (lifecycle) {
      if (stopping) return;
      stopping = true;
    }
    progress.step("Stopping...");
    if (fraudDemo != null) fraudDemo.close();
    if (services != null) {
      services.close();
      progress.detail("services stopped");
    }
    if (kafka != null) {
      kafka.close();
      progress.detail("Kafka broker stopped");
    }
    if (localRedis != null) {
      try {
        localRedis.close();
      } catch (IOException e) {
        System.err.println("Redis did not stop cleanly: " + e.getMessage());
      }
    }
    try {
      if (lock != null) lock.release();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
    progress.step("Stopped. Start again with the same command: everything is kept.");
    stopped.countDown();
  }

  private String busyPorts() {
    Map<String, Integer> wanted = new LinkedHashMap<>();
    wanted.put("--kafka-port", kafkaPort);
    wanted.put("--registry-port", registryPort);
    wanted.put("--batch-port", batchPort);
    wanted.put("--stream-port", streamPort);
    wanted.put("--fetcher-port", fetcherPort);
    StringBuilder b = new StringBuilder();
    wanted.forEach((option, port) -> {
      if (Ports.inUse(port)) b.append(String.format("  port %d is in use (%s)%n", port, option));
    });
    if (b.isEmpty()) return null;
    return "Cannot start: \n" + b + "Stop what listens there (see: ss -ltnp), e.g. another local stack, or choose other ports with the options named.";
  }

  private void resetDataDir(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    boolean ours = Files.exists(dir.resolve(StackState.FILE)) || Files.exists(dir.resolve(".lock"));
    boolean empty;
    try (var list = Files.list(dir)) {
      empty = list.findAny().isEmpty();
    }
    if (!ours && !empty) {
      throw new IOException(dir + " does not look like a Tessera data folder (no " + StackState.FILE + "); not deleting it");
    }
    try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock()) {
      if (l == null) throw new IOException("a local stack is running on " + dir + ": stop it before --reset");
    }
    String redisAddress = redis != null ? redis : (!embeddedRedis && LocalRedis.answersPing("127.0.0.1", 6379) ? "127.0.0.1:6379" : null);
    if (redisAddress != null) {
      String[] hp = redisAddress.split(":", 2);
      try (RedisClient client = new RedisClient(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : 6379)) {
        int n = FraudDemo.deleteRedisKeys(client);
        progress.step("Reset: deleted " + n + " keys of " + String.join(", ", FraudDemo.GROUP_BYS) + " in the Redis at " + redisAddress);
      }
    }
    LocalKafka.deleteQuietly(dir);
    progress.step("Reset: deleted " + dir);
  }

  private static String newPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return b.toString();
  }

  /**
   * The broker and clients in this process log through slf4j-simple: warnings and errors go to a
   * file, so the console shows only the stack's own progress. Must run before the first logger exists.
   */
  private static void quietLogging(Path file) {
    System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
  }
}
