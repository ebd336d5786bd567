package dev.tessera.support;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Definitions} asks the registry REST API ({@code GET /api/v1/groupbys/{name}},
 * {@code .../versions/{v}}, {@code /api/v1/joins/...}; DESIGN.md "REST APIs"): for names and
 * versions the registry topic has not shown (published a moment ago, or an older version: the topic
 * keeps only the latest).
 *
 * @param url the registry service's base URL
 * @param timeout connect and request time limit of one call
 * @param headers sent with every call (the credentials a service passes, e.g. {@code Authorization})
 * @param cacheTtl how long a definition the REST API gave is kept before it is asked again
 *     (a change on the topic drops it at once); zero asks at every lookup
 * @param missTtl how long "the registry does not know this name" is kept
 * @param clock the time of the caches
 */
public record RegistryApi(URI url, Duration timeout, Map<String, String> headers, Duration cacheTtl, Duration missTtl,
    InstantSource clock) {

  public RegistryApi {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(clock, "clock");
    headers = Map.copyOf(headers);
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("the registry URL must be an absolute http(s) URL, was " + url);
    }
    requirePositive(timeout, "timeout");
    requireNotNegative(cacheTtl, "cacheTtl");
    requireNotNegative(missTtl, "missTtl");
  }

  /** The registry at {@code url}, asked at every lookup the topic cannot answer, without credentials. */
  public static RegistryApi of(URI url, Duration timeout) {
    return new RegistryApi(url, timeout, Map.of(), Duration.ZERO, Duration.ZERO, InstantSource.system());
  }

  public RegistryApi withHeaders(Map<String, String> headers) {
    return new RegistryApi(url, timeout, headers, cacheTtl, missTtl, clock);
  }

  /** Keeps what the REST API answered for a while: found for {@code cacheTtl}, not found for {@code missTtl}. */
  public RegistryApi withCache(Duration cacheTtl, Duration missTtl, InstantSource clock) {
    return new RegistryApi(url, timeout, headers, cacheTtl, missTtl, clock);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("the registry " + name + " must be positive, was " + d);
  }

  private static void requireNotNegative(Duration d, String name) {
    if (d == null || d.isNegative()) throw new IllegalArgumentException("the registry " + name + " must not be negative, was " + d);
  }
}
