package dev.tessera.batch.definitions;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the registry's REST API is ({@code tessera.batch.registry-url}, {@code tessera.batch.registry-timeout}):
 * the consistency job asks it for the definitions of versions that are no longer live, the Join training set for Joins and pinned GroupBy versions.
 *
 * @param registryUrl the registry service's base URL (http or https)
 * @param registryTimeout connect and request timeout of one call
 */
@ConfigurationProperties("tessera.batch")
public record RegistryClientProperties(URI registryUrl, Duration registryTimeout) {

  public RegistryClientProperties {
    registryUrl = registryUrl == null ? URI.create("http://localhost:8081") : registryUrl;
    registryTimeout = registryTimeout == null ? Duration.ofSeconds(5) : registryTimeout;
    String scheme = registryUrl.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || registryUrl.getHost() == null) {
      throw new IllegalArgumentException("tessera.batch.registry-url must be an http(s) URL such as http://localhost:8081, was " + registryUrl);
    }
    if (registryTimeout.isNegative() || registryTimeout.isZero()) {
      throw new IllegalArgumentException("tessera.batch.registry-timeout must be positive, was " + registryTimeout);
    }
  }
}
