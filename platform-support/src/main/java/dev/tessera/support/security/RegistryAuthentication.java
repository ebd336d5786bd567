package dev.tessera.support.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who sent a request, as the registry knows them (DESIGN.md "Security"): its credential is checked
 * with {@link RegistryCredentials} behind the {@link LoginThrottle}. A request that cannot be
 * authenticated gets the same answer on every service: no credential or an invalid one 401 (with
 * {@code WWW-Authenticate}), too many invalid ones 429 (with {@code Retry-After}), and a registry
 * that cannot be asked 503: closed, never let through unchecked.
 */
public final class RegistryAuthentication {
  private static final Logger log = LoggerFactory.getLogger(RegistryAuthentication.class);

  private final RegistryCredentials registry;
  private final LoginThrottle throttle;

  public RegistryAuthentication(RegistryCredentials registry, LoginThrottle throttle) {
    this.registry = registry;
    this.throttle = throttle;
  }

  /**
   * @param missing the 401's detail for a request without a credential: what it needs and why
   * @return the caller, or empty when the request is refused (its answer is written)
   */
  public Optional<Caller> authenticate(HttpServletRequest request, HttpServletResponse response, String missing) throws IOException {
    Optional<Credential> credential = Credential.of(request.getHeader(Credential.API_KEY), request.getHeader(Credential.AUTHORIZATION));
    if (credential.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"tessera\"");
      ProblemResponse.write(request, response, 401, ProblemResponse.UNAUTHORIZED, "Authentication required", missing);
      return Optional.empty();
    }
    String key = LoginThrottle.key(credential.get().account(), request.getRemoteAddr());
    Optional<Duration> blocked = throttle.blockedFor(key);
    if (blocked.isPresent()) {
      throttle.failed(key); // guessing on while blocked only lengthens the wait
      long seconds = Math.max(1, blocked.get().toSeconds());
      response.setHeader("Retry-After", Long.toString(seconds));
      ProblemResponse.write(request, response, 429, ProblemResponse.TOO_MANY_ATTEMPTS, "Too many failed logins",
          "Too many wrong credentials from this address; try again in " + seconds + " s.");
      return Optional.empty();
    }
    switch (registry.check(credential.get())) {
      case CredentialCheck.Valid(Caller caller) -> {
        throttle.succeeded(key);
        return Optional.of(caller);
      }
      case CredentialCheck.Invalid() -> {
        throttle.failed(key);
        log.info("refused a request with an invalid credential of {} from {}", credential.get().account(), request.getRemoteAddr());
        response.setHeader("WWW-Authenticate", "Basic realm=\"tessera\"");
        ProblemResponse.write(request, response, 401, ProblemResponse.UNAUTHORIZED, "Authentication required",
            "The credential is not valid.");
        return Optional.empty();
      }
      case CredentialCheck.Unavailable(String reason) -> {
        log.warn("cannot check a credential: {}", reason);
        response.setHeader("Retry-After", "5");
        ProblemResponse.write(request, response, 503, ProblemResponse.AUTH_UNAVAILABLE, "Registry unavailable",
            "Credentials are checked by the registry, which cannot be reached now; try again shortly.");
        return Optional.empty();
      }
    }
  }
}
