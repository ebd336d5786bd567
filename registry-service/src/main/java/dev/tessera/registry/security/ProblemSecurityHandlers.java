package dev.tessera.registry.security;

import dev.tessera.registry.system.ProblemWriter;
import dev.tessera.registry.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 of the API as problem JSON, like every other API error. */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {
  static final String REALM = "tessera-registry";

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
    String detail = e.getMessage() != null && e.getMessage().contains("API token")
        ? "The API token is not valid."
        : "This request changes the registry: authenticate with HTTP Basic or an API token (X-API-Key or Authorization: Bearer).";
    ProblemWriter.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED, "Authentication required", detail));
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
    String who = request.getUserPrincipal() == null ? "You" : request.getUserPrincipal().getName();
    ProblemWriter.write(request, response, Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Not allowed",
        who + " may not do this: publishing and retiring need the WRITER or ADMIN role."));
  }
}
