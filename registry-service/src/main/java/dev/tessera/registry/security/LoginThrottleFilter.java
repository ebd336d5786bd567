package dev.tessera.registry.security;

import dev.tessera.registry.system.ProblemWriter;
import dev.tessera.registry.system.Problems;
import dev.tessera.support.security.Credential;
import dev.tessera.support.security.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Login throttling for every way in: HTTP Basic, API tokens and the admin UI's login form. Before
 * authentication, an account+address that failed too often gets a 429 with Retry-After and its
 * password is not even checked (the attempt counts as a failure, so hammering on keeps it out); Spring Security's authentication events (which carry the address)
 * and the token filter count the failures and successes. The other services verify credentials
 * through this registry, so the same throttle guards their logins too.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {
  private final LoginThrottle throttle;

  LoginThrottleFilter(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> key = attemptedAccount(request).map(a -> LoginThrottle.key(a, request.getRemoteAddr()));
    Optional<Duration> blocked = key.flatMap(throttle::blockedFor);
    if (blocked.isPresent()) {
      throttle.failed(key.get()); // guessing on while blocked only lengthens the wait
      long seconds = Math.max(1, blocked.get().toSeconds());
      response.setHeader("Retry-After", Long.toString(seconds));
      ProblemWriter.write(request, response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, Problems.TOO_MANY_ATTEMPTS,
          "Too many failed logins", "Too many wrong credentials for this account from this address; try again in " + seconds + " s."));
      return;
    }
    chain.doFilter(request, response);
  }

  /** The account a request tries to log in as: a credential header, or the login form's user name. */
  private static Optional<String> attemptedAccount(HttpServletRequest request) {
    Optional<Credential> credential = Credential.of(request.getHeader(Credential.API_KEY), request.getHeader(Credential.AUTHORIZATION));
    if (credential.isPresent()) return Optional.of(credential.get().account());
    if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
      String user = request.getParameter("username");
      return user == null ? Optional.empty() : Optional.of("user:" + user);
    }
    return Optional.empty();
  }

  /** Counts password logins (HTTP Basic and the form); tokens are counted by the token filter. */
  static final class Events {
    private final LoginThrottle throttle;

    Events(LoginThrottle throttle) {
      this.throttle = throttle;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
      key(event.getAuthentication()).ifPresent(throttle::failed);
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
      key(event.getAuthentication()).ifPresent(throttle::succeeded);
    }

    private static Optional<String> key(org.springframework.security.core.Authentication authentication) {
      if (authentication.getDetails() instanceof WebAuthenticationDetails details && authentication.getName() != null) {
        return Optional.of(LoginThrottle.key("user:" + authentication.getName(), details.getRemoteAddress()));
      }
      return Optional.empty();
    }
  }
}
