package dev.tessera.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON over HTTP to the services' REST APIs, with the JDK's client. */
public final class Rest {
  public static final JsonMapper JSON = JsonMapper.builder().build();

  /** One answer: status and body (a JSON tree when the body is JSON, else a missing node). */
  public record Response(int status, String text, JsonNode json) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The body, or an exception with the status and body text when the status is not 2xx. */
    public JsonNode orThrow(String what) throws IOException {
      if (!ok()) throw new IOException(what + " failed: HTTP " + status + " " + text);
      return json;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String authorization;

  public Rest() {
    this(null, null);
  }

  /** A client that sends HTTP Basic credentials with every request (for registry writes). */
  public Rest(String user, String password) {
    this.authorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public Response get(String url) throws IOException, InterruptedException {
    return send(request(url).GET());
  }

  public Response postJson(String url, Object body) throws IOException, InterruptedException {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(request(url).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  public Response post(String url, String contentType, String body) throws IOException, InterruptedException {
    return send(request(url).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response delete(String url) throws IOException, InterruptedException {
    return send(request(url).DELETE());
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Accept", "application/json, application/problem+json");
    if (authorization != null) b.header("Authorization", authorization);
    return b;
  }

  private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = r.body().isBlank() ? JSON.missingNode() : JSON.readTree(r.body());
    } catch (RuntimeException notJson) {
      json = JSON.missingNode();
    }
    return new Response(r.statusCode(), r.body(), json);
  }
}
