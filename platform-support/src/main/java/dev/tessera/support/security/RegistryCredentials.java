package dev.tessera.support.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a credential with the registry, the one place where accounts, roles and API tokens are
 * configured (DESIGN.md "Security"): {@code GET /api/v1/auth/me} with the caller's own header
 * answers who it is (200) or that it is not valid (401). Both answers are kept (keyed by a SHA-256
 * of the credential, never the secret): a valid one for {@code ttl}, so a busy client costs the
 * registry one call per ttl and a revoked token works at most ttl longer; an invalid one for
 * {@code invalidTtl}, so a client repeating a wrong token (a fetch loop) does not cost a registry
 * call each time, and a token created just after such a try works at most invalidTtl later. No
 * answer (registry down) is never kept.
 */
public final class RegistryCredentials {
  public static final String ME_PATH = "/api/v1/auth/me";
  private static final int MAX_CACHED = 10_000;

  private final URI me;
  private final Duration timeout;
  private final Duration ttl;
  private final Duration invalidTtl;
  private final InstantSource clock;
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(CredentialCheck answer, Instant until) {}

  /**
   * @param ttl how long a valid answer is kept
   * @param invalidTtl how long an invalid answer is kept (zero: asked every time)
   */
  public RegistryCredentials(URI registryUrl, Duration timeout, Duration ttl, Duration invalidTtl, InstantSource clock) {
    this.me = registryUrl.resolve(ME_PATH);
    this.timeout = timeout;
    this.ttl = ttl;
    this.invalidTtl = invalidTtl;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public CredentialCheck check(Credential credential) {
    String key = credential.fingerprint();
    Cached cached = cache.get(key);
    Instant now = clock.instant();
    if (cached != null && cached.until().isAfter(now)) return cached.answer();
    CredentialCheck answer = ask(credential);
    Duration keep = switch (answer) {
      case CredentialCheck.Valid v -> ttl;
      case CredentialCheck.Invalid i -> invalidTtl;
      case CredentialCheck.Unavailable u -> Duration.ZERO;
    };
    if (keep.isPositive()) {
      if (cache.size() >= MAX_CACHED) cache.clear(); // a bound, not an LRU: refilling costs one call per client
      cache.put(key, new Cached(answer, now.plus(keep)));
    } else {
      cache.remove(key);
    }
    return answer;
  }

  private CredentialCheck ask(Credential credential) {
    HttpRequest request = HttpRequest.newBuilder(me).timeout(timeout).header(credential.header(), credential.value())
        .header("Accept", "application/json").GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new CredentialCheck.Unavailable("the registry at " + me.getAuthority() + " did not answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CredentialCheck.Unavailable("interrupted while asking the registry");
    }
    return switch (response.statusCode()) {
      case 200 -> caller(response.body());
      case 401, 403 -> new CredentialCheck.Invalid();
      default -> new CredentialCheck.Unavailable("the registry answered " + response.statusCode());
    };
  }

  private CredentialCheck caller(String body) {
    try {
      JsonNode node = json.readTree(body);
      Set<String> roles = new HashSet<>();
      node.path("roles").forEach(r -> roles.add(r.asString()));
      String name = node.path("name").asString();
      if (name == null || name.isEmpty()) return new CredentialCheck.Unavailable("the registry's answer names nobody");
      return new CredentialCheck.Valid(new Caller(name, roles));
    } catch (RuntimeException e) {
      return new CredentialCheck.Unavailable("the registry's answer is not JSON");
    }
  }
}
