package dev.tessera.registry.security;

import dev.tessera.support.security.Credential;
import dev.tessera.support.security.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates machines by API token: {@code X-API-Key: <token>} or
 * {@code Authorization: Bearer <token>}. A token that matches no configured one is a 401 at once
 * (not an anonymous request), so a mistyped token never looks like "no permission".
 */
final class ApiTokenAuthenticationFilter extends OncePerRequestFilter {
  static final String HEADER = "X-API-Key";

  private final Accounts accounts;
  private final AuthenticationEntryPoint entryPoint;
  private final LoginThrottle throttle;

  ApiTokenAuthenticationFilter(Accounts accounts, AuthenticationEntryPoint entryPoint, LoginThrottle throttle) {
    this.accounts = accounts;
    this.entryPoint = entryPoint;
    this.throttle = throttle;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> presented = presented(request);
    if (presented.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Accounts.Token> token = accounts.token(presented.get());
    String throttleKey = LoginThrottle.key(Credential.of(presented.get(), null).orElseThrow().account(), request.getRemoteAddr());
    if (token.isEmpty()) {
      throttle.failed(throttleKey);
      SecurityContextHolder.clearContext();
      entryPoint.commence(request, response, new BadCredentialsException("the API token is not valid"));
      return;
    }
    throttle.succeeded(throttleKey);
    Accounts.Token t = token.get();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(t.name(), null, t.authorities()));
    SecurityContextHolder.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  private static Optional<String> presented(HttpServletRequest request) {
    String key = request.getHeader(HEADER);
    if (key != null && !key.isBlank()) return Optional.of(key.trim());
    String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.of(auth.substring(7).trim());
    return Optional.empty();
  }
}
