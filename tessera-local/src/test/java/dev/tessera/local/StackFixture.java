package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.support.kafka.KafkaClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform for an end-to-end test, for real: an in-process KRaft broker, Redis (the one
 * answering on 127.0.0.1:6379, else an embedded one), and the four services as child JVMs from
 * their boot jars ({@code ../<module>/target/<module>-0.1.0-SNAPSHOT.jar}: build them first, as
 * {@code ./mvnw verify} from the root does; they run from copies in {@code stack-jars} beside
 * {@code dataDir}, so a parallel build cannot change them underneath), everything on free ports
 * with state in {@code dataDir}.
 *
 * <pre>{@code
 * try (StackFixture stack = StackFixture.start(Path.of("target", "my-it"))) {
 *   stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/groupbys", "application/yaml", yaml);
 *   stack.kill(Service.STREAM);      // as a crash would
 *   stack.restart(Service.STREAM);   // and wait until healthy
 * }
 * }</pre>
 *
 * Tests share the Redis on 6379: use GroupBy names of their own and delete their keys
 * ({@link #deleteRedisKeys}) at the end. Service logs are in {@link #logs()}.
 */
public final class StackFixture implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final StackConfig config;
  private final LocalKafka kafka;
  private final LocalRedis redis;
  private final Services services;

  private StackFixture(StackConfig config, LocalKafka kafka, LocalRedis redis, Map<Service, Map<String, String>> extra) {
    this.config = config;
    this.kafka = kafka;
    this.redis = redis;
    this.services = new Services(config, extra);
  }

  /**
   * Starts everything in a fresh {@code dataDir} (deleted first) and returns once every service
   * is healthy; on failure stops what started and throws with the failing service's log tail.
   */
  public static StackFixture start(Path dataDir) throws Exception {
    return start(dataDir, Map.of());
  }

  /**
   * As {@link #start(Path)}, with further properties per service, e.g.
   * {@code Map.of(Service.STREAM, Map.of("tessera.stream.partitioning", "source"))}.
   */
  public static StackFixture start(Path dataDir, Map<Service, Map<String, String>> properties) throws Exception {
    return start(dataDir, properties, null, false);
  }

  /**
   * As {@link #start(Path, Map)} on a secured broker: its client listener is SASL_SSL, taking
   * SCRAM-SHA-512 logins only, over TLS with a certificate made for the test. The services get the
   * login and trust the certificate through {@code spring.kafka.*} and a Spring Boot SSL bundle
   * alone. {@link #kafka()} logs in and trusts as they do.
   */
  public static StackFixture startWithScramOverTls(Path dataDir, Map<Service, Map<String, String>> properties) throws Exception {
    return start(dataDir, properties, new LocalKafka.Scram(new LocalKafka.Login("broker", UUID.randomUUID().toString()),
        new LocalKafka.Login("tessera", UUID.randomUUID().toString())), true);
  }

  private static StackFixture start(Path dataDir, Map<Service, Map<String, String>> properties, LocalKafka.Scram scram, boolean tls)
      throws Exception {
    Path dir = dataDir.toAbsolutePath().normalize();
    LocalKafka.deleteQuietly(dir);
    Files.createDirectories(dir);
    LocalKafka.Tls kafkaTls = tls ? TestCertificates.localhost(dir.resolve("tls")) : null;
    LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), scram, kafkaTls);
    LocalRedis redis = null;
    StackFixture stack = null;
    try {
      kafka.start();
      redis = LocalRedis.startOrConnect(null, null, dir);
      Map<Service, Integer> ports = new EnumMap<>(Service.class);
      for (Service s : Service.values()) ports.put(s, Ports.free());
      StackConfig config = new StackConfig(Service.stage(Service.home(), dir.resolveSibling("stack-jars")), dir, kafka.bootstrapServers(), redis.host(), redis.port(), ports,
          "admin", UUID.randomUUID().toString(), StackConfig.LOOPBACK, scram == null ? null : scram.client(), kafkaTls);
      stack = new StackFixture(config, kafka, redis, properties);
      stack.services.startAll(EnumSet.allOf(Service.class), START_TIMEOUT, (s, seconds) -> {});
      return stack;
    } catch (Exception | Error e) {
      if (stack != null) {
        stack.close();
      } else {
        if (redis != null) redis.close();
        kafka.close();
      }
      throw e;
    }
  }

  /** {@code http://localhost:<port>} of a service. */
  public String url(Service s) {
    return config.url(s);
  }

  public String bootstrapServers() {
    return config.kafkaBootstrap();
  }

  /**
   * The broker's client settings as the services have them: its address, and on a secured broker
   * the SCRAM login and the trust store of its certificate.
   */
  public Map<String, Object> kafkaSettings() {
    Map<String, Object> p = new java.util.HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()));
    if (config.kafkaLogin() != null) {
      p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, config.kafkaTls() == null ? "SASL_PLAINTEXT" : "SASL_SSL");
      p.put(SaslConfigs.SASL_MECHANISM, LocalKafka.SCRAM_MECHANISM);
      p.put(SaslConfigs.SASL_JAAS_CONFIG, config.kafkaLogin().jaasConfig());
    }
    if (config.kafkaTls() != null) {
      p.putIfAbsent(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, config.kafkaTls().trustStore().toString());
      p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, config.kafkaTls().password());
    }
    return p;
  }

  /** Kafka clients of the stack's broker, logged in as the services are ({@link #kafkaSettings()}). */
  public KafkaClients kafka() {
    Map<String, Object> p = kafkaSettings();
    return new KafkaClients(p, p, p, p, null);
  }

  public String redisHost() {
    return config.redisHost();
  }

  public int redisPort() {
    return config.redisPort();
  }

  /** The registry's writer login (role ADMIN). */
  public String adminUser() {
    return config.adminUser();
  }

  public String adminPassword() {
    return config.adminPassword();
  }

  /** A REST client with the stack's admin login: registry, batch and stream writes need it. */
  public Rest registry() {
    return config.writer();
  }

  /** A REST client without credentials. */
  public Rest rest() {
    return new Rest();
  }

  public Path dataDir() {
    return config.dataDir();
  }

  /** Where the batch service puts Parquet exports ({@code parquetPath} is relative to it). */
  public Path exports() {
    return config.exports();
  }

  public Path logs() {
    return config.logs();
  }

  /** The last lines of a service's log, for failure messages. */
  public String logTail(Service s, int lines) {
    return services.get(s).tail(lines);
  }

  /** Kills a service's JVM (SIGKILL: no shutdown hooks, no commits), as a crash would. */
  public void kill(Service s) throws InterruptedException {
    services.get(s).kill();
  }

  /** Stops a service gracefully (SIGTERM), as an orderly restart would. */
  public void stop(Service s) {
    services.get(s).close();
  }

  /** Starts a stopped or killed service again, on the same port and data, and waits until it is healthy. */
  public void restart(Service s) throws IOException, InterruptedException {
    services.get(s).close();
    services.startAll(EnumSet.of(s), START_TIMEOUT, (x, seconds) -> {});
  }

  /**
   * Supervises the services as {@code tessera local} does ({@link Supervisor}): a service that dies
   * is restarted with backoff, messages to {@code out}. Closing it stops supervising.
   */
  public AutoCloseable supervise(java.io.PrintStream out) {
    Supervisor supervisor = new Supervisor(services.supervised(), out, System.currentTimeMillis());
    Thread t = Thread.ofPlatform().daemon().name("stack-supervisor").start(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          supervisor.check(System.currentTimeMillis());
          Thread.sleep(250);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return () -> {
      t.interrupt();
      t.join();
    };
  }

  /** Whether a service's JVM is running right now. */
  public boolean isAlive(Service s) {
    return services.get(s).isAlive();
  }

  /** Until a service answers healthy. */
  public void awaitHealthy(Service s, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!services.get(s).isHealthy()) {
      assertThat(System.nanoTime()).as("%s did not become healthy: %s", s, logTail(s, 30)).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  /** Deletes the Redis keys matching a SCAN pattern, e.g. the keys of one GroupBy: tsr:{my_groupby:*; returns how many. */
  public int deleteRedisKeys(String pattern) throws IOException {
    try (RedisClient r = new RedisClient(config.redisHost(), config.redisPort())) {
      return r.deleteMatching(pattern);
    }
  }

  /** Starts the streaming job of {@code groupBy}, retrying while the stream service has not read its definition yet. */
  public void startStreamingJob(String groupBy) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      Rest.Response r = registry().postJson(url(Service.STREAM) + "/api/v1/streaming-jobs", Map.of("groupBy", groupBy, "mode", "create"));
      if (r.status() == 201) return;
      assertThat(r.status()).as("streaming job: %s", r.text()).isIn(404, 503);
      assertThat(System.nanoTime()).as("the stream service did not learn of %s", groupBy).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  /** Runs a batch job to its end and returns its view (fails the test if it does not complete). */
  public JsonNode runJob(String kind, Map<String, ?> body) throws Exception {
    BatchJobs jobs = new BatchJobs(url(Service.BATCH), config.writer());
    long id = jobs.submit(kind, body, Duration.ofMinutes(1));
    return jobs.await(id, Duration.ofMinutes(3), job -> {});
  }

  /**
   * Ingests the feature log ({@code tessera.feature-log}) until {@code expected} records have landed:
   * the fetcher logs asynchronously, so the last ones may reach Kafka a moment after their fetch.
   */
  public void ingestFeatureLog(long expected) throws Exception {
    long landed = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (landed < expected) {
      landed += runJob("ingest", Map.of("topic", "tessera.feature-log", "format", "feature-log")).path("result").path("recordsLanded").asLong();
      assertThat(System.nanoTime()).as("feature log records landed: %d of %d", landed, expected).isLessThan(deadline);
      if (landed < expected) Thread.sleep(1000);
    }
    assertThat(landed).isEqualTo(expected);
  }

  /** Until the streaming job of {@code groupBy} is RUNNING with a lag of zero measured after {@code sentAt}. */
  public void awaitStreamCaughtUp(String groupBy, long sentAt) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonNode job = rest().get(url(Service.STREAM) + "/api/v1/streaming-jobs/" + groupBy).json();
      JsonNode lag = job.path("lag");
      if (lag.has("measuredAt") && Instant.parse(lag.path("measuredAt").asString()).toEpochMilli() > sentAt && lag.path("total").asLong() == 0
          && "RUNNING".equals(job.path("state").asString())) {
        return;
      }
      assertThat(System.nanoTime()).as("the streaming job did not catch up: %s\n%s", job, logTail(Service.STREAM, 30)).isLessThan(deadline);
      Thread.sleep(500);
    }
  }


  /** Stops the services, then the broker and an embedded Redis. The data folder stays for post-mortems. */
  @Override
  public void close() throws IOException {
    try {
      services.close();
    } finally {
      try {
        kafka.close();
      } finally {
        redis.close();
      }
    }
  }
}
