package dev.tessera.registry.ui;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server side of the consistency pages: reads {@code GET /api/v1/consistency/{groupBy}} and
 * {@code GET /api/v1/consistency/join/{join}} from the batch service at {@code tessera.registry.batch-url}, so the browser needs no CORS and no batch URL,
 * and turns every failure into a sentence a person can act on.
 */
public final class ConsistencyClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /** The report as a tree of maps and lists, or why there is none. */
  public record Outcome(Map<String, Object> report, String error, String url) {}

  public ConsistencyClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public URI base() {
    return base;
  }

  public Outcome report(String groupBy, int days) {
    return get("api/v1/consistency/" + URLEncoder.encode(groupBy, StandardCharsets.UTF_8), days);
  }

  /** A Join's report: the GroupBy's shape plus {@code part} on each column and sample, and {@code columns} and {@code parts}. */
  public Outcome joinReport(String join, int days) {
    return get("api/v1/consistency/join/" + URLEncoder.encode(join, StandardCharsets.UTF_8), days);
  }

  private Outcome get(String report, int days) {
    String path = report + "?days=" + days + "&samples=50";
    URI uri = base.resolve(base.getPath().endsWith("/") ? path : base.getPath() + "/" + path);
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() / 100 == 2) {
        return new Outcome(JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {}), null, uri.toString());
      }
      return new Outcome(null, "The batch service answered " + response.statusCode() + detail(response.body()), uri.toString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return unreachable(uri, "connection refused or timed out");
    } catch (HttpTimeoutException e) {
      return new Outcome(null, "The batch service at " + base + " did not answer within " + timeout.toMillis() + " ms.", uri.toString());
    } catch (java.io.IOException e) {
      return unreachable(uri, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (JacksonException e) {
      return new Outcome(null, "The batch service sent something that is not a consistency report.", uri.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, "Interrupted while waiting for the batch service.", uri.toString());
    }
  }

  private Outcome unreachable(URI uri, String why) {
    return new Outcome(null, "The batch service at " + base + " is not reachable (" + why
        + "). Is batch-service running? The registry calls it at tessera.registry.batch-url.", uri.toString());
  }

  private static String detail(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("detail")) return ": " + n.get("detail").asString();
    } catch (JacksonException | IllegalArgumentException e) {
      // not JSON
    }
    return ".";
  }
}
