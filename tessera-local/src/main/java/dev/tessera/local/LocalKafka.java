package dev.tessera.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (combined broker + KRaft controller) in this process, with its
 * log under the data folder: topics and offsets survive a restart of the local stack. The log
 * directory is formatted on first start, as {@code kafka-storage format} would.
 *
 * <p>With {@link Scram} logins its client listener is SASL_PLAINTEXT with SCRAM-SHA-512 only, as a
 * secured cluster's would be: a client without a login is refused. The broker reaches itself
 * (transaction markers, for one) through that listener as the super user {@code Scram#broker};
 * both users' credentials are written into the metadata log when it is formatted.
 *
 * <p>With {@link Tls} the client listener is encrypted too (SSL, or SASL_SSL with SCRAM): the broker
 * presents the key store's certificate, and trusts the trust store when it reaches itself.
 */
final class LocalKafka implements AutoCloseable {
  static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  /** A SCRAM user of the broker. */
  record Login(String user, String password) {
    /** The client setting {@code sasl.jaas.config} that logs in as this user. */
    String jaasConfig() {
      return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }
  }

  /** The broker's own login (super user) and the one clients are given. */
  record Scram(Login broker, Login client) {}

  /** The broker's certificate and key (a PKCS12 key store) and a PKCS12 trust store that holds the certificate. */
  record Tls(Path keyStore, Path trustStore, String password) {}

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private final Scram scram;
  private final Tls tls;
  private KafkaRaftServer server;

  LocalKafka(Path logDir, int port, int controllerPort) {
    this(logDir, port, controllerPort, null, null);
  }

  /**
   * @param scram null: no login asked of clients
   * @param tls null: an unencrypted client listener
   */
  LocalKafka(Path logDir, int port, int controllerPort, Scram scram, Tls tls) {
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.scram = scram;
    this.tls = tls;
  }

  /** The client listener's security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
  String securityProtocol() {
    return scram == null ? (tls == null ? "PLAINTEXT" : "SSL") : (tls == null ? "SASL_PLAINTEXT" : "SASL_SSL");
  }

  String bootstrapServers() {
    return "localhost:" + port;
  }

  void start() throws Exception {
    Files.createDirectories(logDir);
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    String client = securityProtocol();
    p.put("listeners", client + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", client + "://localhost:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", client);
    p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
    if (scram != null) {
      p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
      p.put("listener.name." + client.toLowerCase(java.util.Locale.ROOT) + "." + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT)
          + ".sasl.jaas.config", scram.broker().jaasConfig());
      p.put("super.users", "User:" + scram.broker().user());
    }
    if (tls != null) {
      p.put("ssl.keystore.type", "PKCS12");
      p.put("ssl.keystore.location", tls.keyStore().toString());
      p.put("ssl.keystore.password", tls.password());
      p.put("ssl.key.password", tls.password());
      // the broker is its own client (inter-broker listener): it must trust its certificate
      p.put("ssl.truststore.type", "PKCS12");
      p.put("ssl.truststore.location", tls.trustStore().toString());
      p.put("ssl.truststore.password", tls.password());
    }
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "4");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    p.put("log.retention.hours", "168");
    KafkaConfig config = KafkaConfig.fromProps(p, false);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format();
    }
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
  }

  private void format() throws Exception {
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(java.util.List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName("CONTROLLER")
          .setScramArguments(scram == null ? java.util.List.of() : java.util.List.of(scramArgument(scram.broker()), scramArgument(scram.client())))
          .setUnstableFeatureVersionsEnabled(false)
          .run();
    }
  }

  /** As {@code kafka-storage format --add-scram} takes it. */
  private static String scramArgument(Login login) {
    return SCRAM_MECHANISM + "=[name=" + login.user() + ",password=" + login.password() + "]";
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  static void deleteQuietly(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
