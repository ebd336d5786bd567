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
 */
record StackConfig(Path home, Path dataDir, String kafkaBootstrap, String redisHost, int redisPort, Map<Service, Integer> ports,
    String adminUser, String adminPassword) {
  StackConfig {
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

  String url(Service s) {
    return "http://localhost:" + ports.get(s);
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
