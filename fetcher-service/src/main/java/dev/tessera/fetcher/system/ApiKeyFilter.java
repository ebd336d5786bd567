package dev.tessera.fetcher.system;

import dev.tessera.support.web.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Optional API-key authentication of the fetch API ({@code /v1/**}): with
 * {@code tessera.fetcher.api-keys} set, a request needs one of the keys in {@code X-API-Key}, else
 * it gets a 401 problem. Health, metrics and the API description stay open. Keys are compared in
 * constant time so response timing does not reveal them.
 */
public final class ApiKeyFilter extends OncePerRequestFilter {
  public static final String HEADER = "X-API-Key";

  private final List<byte[]> keys;
  private final JsonMapper json;
  private final Runnable onRejected;

  public ApiKeyFilter(List<String> keys, JsonMapper json, Runnable onRejected) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    this.json = json;
    this.onRejected = onRejected;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader(HEADER);
    if (given != null && accepted(given.getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(request, response);
      return;
    }
    onRejected.run();
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", ProblemTypes.UNAUTHORIZED.toString());
    problem.put("title", "Unauthorized");
    problem.put("status", HttpStatus.UNAUTHORIZED.value());
    problem.put("detail", given == null ? "this fetcher requires an API key in the " + HEADER + " header"
        : "the " + HEADER + " header holds no valid API key");
    problem.put("instance", request.getRequestURI());
    problem.put(RequestIds.KEY, RequestIds.current());
    response.setStatus(HttpStatus.UNAUTHORIZED.value());
    response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  private boolean accepted(byte[] given) {
    boolean ok = false;
    for (byte[] k : keys) ok |= MessageDigest.isEqual(k, given);
    return ok;
  }
}
