package dev.tessera.local;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where everything of one local stack lives and listens.
 *
 * @param home the repository checkout (service jars under {@code <module>/target/})
 * @param dataDir absolute data folder: Kafka log, H2 and DuckDB files, stream state, logs
 * @param ports HTTP port of each service
 * @param bindAddress the address every service listens on ({@code server.address}): 127.0.0.1 unless
 *     told otherwise, so a laptop's stack is not open to its network
 * @param kafkaLogin the SCRAM login the services give the broker (its listener is SASL_PLAINTEXT, or
 *     SASL_SSL with {@code kafkaTls}); null when it asks for none
 * @param kafkaTls the broker's TLS material when its listener is encrypted (the services trust its
 *     trust store through a Spring Boot SSL bundle); null for an unencrypted listener
 */
record StackConfig(Path home, Path dataDir, String kafkaBootstrap, String redisHost, int redisPort, Map<Service, Integer> ports,
    String adminUser, String adminPassword, String bindAddress, LocalKafka.Login kafkaLogin, LocalKafka.Tls kafkaTls) {
  static final String LOOPBACK = "127.0.0.1";

  StackConfig(Path home, Path dataDir, String kafkaBootstrap, String redisHost, int redisPort, Map<Service, Integer> ports,
      String adminUser, String adminPassword, String bindAddress) {
    this(home, dataDir, kafkaBootstrap, redisHost, redisPort, ports, adminUser, adminPassword, bindAddress, null, null);
  }

  StackConfig(Path home, Path dataDir, String kafkaBootstrap, String redisHost, int redisPort, Map<Service, Integer> ports,
      String adminUser, String adminPassword) {
    this(home, dataDir, kafkaBootstrap, redisHost, redisPort, ports, adminUser, adminPassword, LOOPBACK);
  }

  StackConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(home, "home");
    dataDir = dataDir.toAbsolutePath().normalize();
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    Objects.requireNonNull(redisHost, "redisHost");
    ports = Map.copyOf(new EnumMap<>(ports));
    for (Service s : Service.values()) {
      if (!ports.containsKey(s)) throw new IllegalArgumentException("no port for " + s);
    }
    Objects.requireNonNull(adminUser, "adminUser");
    if (adminPassword == null || adminPassword.length() < 8) throw new IllegalArgumentException("the admin password needs 8+ characters");
  }

  /** How clients on this machine reach a service: its bind address, or localhost when it listens on every interface. */
  String url(Service s) {
    return ServiceProcess.url(bindAddress, ports.get(s));
  }

  /** A client with the stack's admin login: batch and stream writes need it as much as registry writes. */
  Rest writer() {
    return new Rest(adminUser, adminPassword);
  }

  Path logs() {
    return dataDir.resolve("logs");
  }

  /** The warehouse file the batch service opens (DuckDB: one writing process at a time). */
  Path warehouse() {
    return dataDir.resolve("batch").resolve("warehouse.duckdb");
  }

  /** Where the batch service lets Parquet exports go. */
  Path exports() {
    return dataDir.resolve("batch").resolve("exports");
  }
}
