package dev.tessera.support.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problem JSON (RFC 9457) a filter answers with, before any controller and its advice run.
 * The type URIs are stable: clients branch on them.
 */
public final class ProblemResponse {
  public static final String BASE = "https://tessera.dev/problems/";
  public static final String UNAUTHORIZED = BASE + "unauthorized";
  public static final String FORBIDDEN = BASE + "forbidden";
  public static final String TOO_MANY_ATTEMPTS = BASE + "too-many-attempts";
  public static final String UNSUPPORTED_MEDIA_TYPE = BASE + "unsupported-media-type";
  public static final String CROSS_ORIGIN = BASE + "cross-origin-write";
  public static final String AUTH_UNAVAILABLE = BASE + "registry-unavailable";
  public static final String PAYLOAD_TOO_LARGE = BASE + "payload-too-large";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProblemResponse() {}

  public static void write(HttpServletRequest request, HttpServletResponse response, int status, String type, String title,
      String detail) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", request.getRequestURI());
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), body);
  }
}
