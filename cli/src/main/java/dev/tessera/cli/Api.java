package dev.tessera.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON-over-HTTP client for the services; errors become one readable line. */
final class Api {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String authorization;

  Api(String user, String password, String token) {
    if (token != null && !token.isBlank()) {
      authorization = "Bearer " + token;
    } else if (user != null && !user.isBlank()) {
      String pw = password == null ? "" : password;
      authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
    } else {
      authorization = null;
    }
  }

  JsonNode get(String url) {
    return send(request(url).GET().build());
  }

  JsonNode delete(String url) {
    return send(request(url).DELETE().build());
  }

  JsonNode postJson(String url, Object body) {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(request(url).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)).build());
  }

  JsonNode post(String url, String contentType, String body) {
    return send(request(url).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Accept", "application/json, application/problem+json");
    if (authorization != null) b.header("Authorization", authorization);
    return b;
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ApiException(0, "cannot reach " + request.uri().getScheme() + "://" + request.uri().getAuthority()
          + ": is the service running? (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted");
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      throw new ApiException(response.statusCode(), describe(request, response.statusCode(), body, response.body()),
          body.isObject() ? text(body, "type") : null);
    }
    return body;
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) return JSON.createObjectNode();
    try {
      return JSON.readTree(text);
    } catch (RuntimeException e) {
      return JSON.getNodeFactory().stringNode(text);
    }
  }

  /** "400 Bad Request: invalid GroupBy: $.keys: is required; ..." from a problem+json body. */
  static String describe(HttpRequest request, int status, JsonNode body, String raw) {
    StringBuilder sb = new StringBuilder();
    sb.append(request.method()).append(' ').append(request.uri().getPath()).append(" -> ").append(status);
    if (body.isObject()) {
      String title = text(body, "title");
      String detail = text(body, "detail");
      if (title != null) sb.append(' ').append(title);
      if (detail != null && !detail.equals(title)) sb.append(": ").append(detail);
      List<String> errors = new ArrayList<>();
      JsonNode list = body.has("errors") ? body.get("errors") : body.get("problems");
      if (list != null && list.isArray()) {
        for (JsonNode e : list) {
          String where = text(e, "path") != null ? text(e, "path") : text(e, "field");
          errors.add(where == null ? String.valueOf(text(e, "message")) : where + ": " + text(e, "message"));
        }
      }
      for (JsonNode item : body.path("items")) {
        for (JsonNode e : item.path("problems")) errors.add(text(item, "source") + " " + text(e, "path") + ": " + text(e, "message"));
      }
      if (!errors.isEmpty()) sb.append(" [").append(String.join("; ", errors)).append(']');
      // batch 409 job-conflict: which job holds the table
      if (body.hasNonNull("runningJobId")) sb.append(" (running job ").append(text(body, "runningJobId")).append(')');
    } else if (raw != null && !raw.isBlank()) {
      sb.append(": ").append(raw.length() > 200 ? raw.substring(0, 200) + "..." : raw);
    }
    return sb.toString();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
