package dev.tessera.fetcher.system;

import dev.tessera.support.security.RegistryAuthentication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authentication of the fetch API ({@code /v1/**}) with {@code tessera.fetcher.auth=registry}: a
 * request needs a registry account (HTTP Basic) or API token ({@code X-API-Key} or
 * {@code Authorization: Bearer}), any role, checked the way batch and stream check their writers
 * ({@link RegistryAuthentication}, DESIGN.md "Security"). Answers are cached (valid ones for
 * {@code tessera.security.credential-cache-ttl}, invalid ones for
 * {@code tessera.security.invalid-credential-cache-ttl}), so a fetch pays a registry round trip
 * only once per client and ttl, not per request; a registry that cannot be asked is a 503, never a
 * fetch let through unchecked.
 */
public final class RegistryAuthFilter extends OncePerRequestFilter {
  private final RegistryAuthentication authentication;
  private final Runnable onRejected;

  /** @param onRejected counts a refused credential (not a registry that cannot be asked) */
  public RegistryAuthFilter(RegistryAuthentication authentication, Runnable onRejected) {
    this.authentication = authentication;
    this.onRejected = onRejected;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (authentication.authenticate(request, response, "This fetcher requires authentication: a registry account (HTTP Basic) or "
        + "an API token (X-API-Key or Authorization: Bearer), any role.").isPresent()) {
      chain.doFilter(request, response);
    } else if (response.getStatus() != HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
      onRejected.run();
    }
  }
}
