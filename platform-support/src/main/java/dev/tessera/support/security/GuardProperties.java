package dev.tessera.support.security;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The request guard of the batch, stream and fetcher services (and the fetcher's registry authentication) ({@code tessera.security.*}, or
 * {@code TESSERA_SECURITY_*}), the same for all three (README "Security").
 *
 * @param registryUrl the registry that checks credentials ({@code GET /api/v1/auth/me})
 * @param registryTimeout connect and answer timeout of one check
 * @param credentialCacheTtl how long a valid credential is trusted without asking again (a revoked
 *     token keeps working at most this long)
 * @param invalidCredentialCacheTtl how long an invalid credential is refused without asking again (a
 *     token created just after a try with it works at most this much later); 0 asks every time
 * @param allowedOrigins web origins whose pages may send writes ({@code Origin} header); none by default
 * @param maxRequestSize largest request body; larger ones are a 413 before anything reads them
 * @param loginFreeFailures wrong credentials of one account from one address before the waits start
 * @param loginBaseWait the first wait; it doubles with every further failure
 * @param loginMaxWait the longest wait
 */
@ConfigurationProperties("tessera.security")
public record GuardProperties(URI registryUrl, Duration registryTimeout, Duration credentialCacheTtl, Duration invalidCredentialCacheTtl,
    Set<String> allowedOrigins,
    DataSize maxRequestSize, Integer loginFreeFailures, Duration loginBaseWait, Duration loginMaxWait) {
  static final String P = "tessera.security.";

  public GuardProperties {
    registryUrl = registryUrl == null ? URI.create("http://localhost:8081") : registryUrl;
    if (!("http".equals(registryUrl.getScheme()) || "https".equals(registryUrl.getScheme())) || registryUrl.getHost() == null) {
      throw new IllegalArgumentException(P + "registry-url must be an http(s) URL such as http://localhost:8081, was " + registryUrl);
    }
    registryTimeout = positive(registryTimeout, Duration.ofSeconds(5), "registry-timeout");
    credentialCacheTtl = positive(credentialCacheTtl, Duration.ofSeconds(30), "credential-cache-ttl");
    invalidCredentialCacheTtl = invalidCredentialCacheTtl == null ? Duration.ofSeconds(5) : invalidCredentialCacheTtl;
    if (invalidCredentialCacheTtl.isNegative()) {
      throw new IllegalArgumentException(P + "invalid-credential-cache-ttl must not be negative, was " + invalidCredentialCacheTtl);
    }
    allowedOrigins = allowedOrigins == null ? Set.of() : Set.copyOf(allowedOrigins);
    maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(1) : maxRequestSize;
    if (maxRequestSize.toBytes() < 1024) throw new IllegalArgumentException(P + "max-request-size must be at least 1KB, was " + maxRequestSize);
    loginFreeFailures = loginFreeFailures == null ? 5 : loginFreeFailures;
    if (loginFreeFailures < 1) throw new IllegalArgumentException(P + "login-free-failures must be at least 1, was " + loginFreeFailures);
    loginBaseWait = positive(loginBaseWait, Duration.ofSeconds(1), "login-base-wait");
    loginMaxWait = positive(loginMaxWait, Duration.ofMinutes(15), "login-max-wait");
    if (loginMaxWait.compareTo(loginBaseWait) < 0) throw new IllegalArgumentException(P + "login-max-wait must be >= login-base-wait");
  }

  /** The login throttle these settings describe. */
  public LoginThrottle loginThrottle(InstantSource clock) {
    return new LoginThrottle(loginFreeFailures, loginBaseWait, loginMaxWait, clock);
  }

  /** The credential check these settings describe. */
  public RegistryCredentials registryCredentials(InstantSource clock) {
    return new RegistryCredentials(registryUrl, registryTimeout, credentialCacheTtl, invalidCredentialCacheTtl, clock);
  }

  private static Duration positive(Duration value, Duration dflt, String name) {
    if (value == null) return dflt;
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(P + name + " must be positive, was " + value);
    return value;
  }
}
