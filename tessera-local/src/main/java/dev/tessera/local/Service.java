package dev.tessera.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The four Tessera services, each an executable Spring Boot jar built by its own module. */
public enum Service {
  REGISTRY("registry-service", 8081),
  BATCH("batch-service", 8082),
  STREAM("stream-service", 8083),
  FETCHER("fetcher-service", 8080);

  private final String module;
  private final int defaultPort;

  Service(String module, int defaultPort) {
    this.module = module;
    this.defaultPort = defaultPort;
  }

  public String module() {
    return module;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** The boot jar under the repository checkout {@code home}: {@code <module>/target/<module>-<version>.jar}. */
  public Path jar(Path home) {
    return home.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT.jar");
  }

  /**
   * Copies the four boot jars from the checkout {@code home} to {@code target} (same layout) unless
   * an identical copy (size and modification time) is there, and returns {@code target} as the home
   * to run them from. A running JVM reads its jar lazily: a build that rewrites the jar while the
   * service runs would make it fail with NoClassDefFoundError, a copy cannot change underneath it.
   */
  public static Path stage(Path home, Path target) throws java.io.IOException {
    for (Service s : values()) {
      Path jar = s.jar(home);
      if (!Files.isRegularFile(jar)) {
        throw new java.io.IOException(jar + " is missing: build the services first (./mvnw -DskipTests -pl tessera-local -am package)");
      }
      Path copy = s.jar(target);
      if (Files.isRegularFile(copy) && Files.size(copy) == Files.size(jar)
          && Files.getLastModifiedTime(copy).equals(Files.getLastModifiedTime(jar))) {
        continue;
      }
      Files.createDirectories(copy.getParent());
      Path tmp = copy.resolveSibling(copy.getFileName() + ".tmp");
      Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      Files.move(tmp, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return target;
  }

  /**
   * The repository checkout: system property {@code tessera.home} (bin/tessera sets it), else the
   * nearest directory at or above the working directory that holds the service modules (a test runs
   * in {@code tessera-local/}).
   */
  public static Path home() {
    String configured = System.getProperty("tessera.home");
    if (configured != null) return Path.of(configured).toAbsolutePath().normalize();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(REGISTRY.module)) && Files.isDirectory(p.resolve(FETCHER.module))) return p;
    }
    return Path.of("").toAbsolutePath();
  }
}
