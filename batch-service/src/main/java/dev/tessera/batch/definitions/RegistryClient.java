package dev.tessera.batch.definitions;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GETs of the registry's REST API ({@code tessera.batch.registry-url}): published GroupBy versions
 * and Joins. A 404 is "no such thing" (empty); anything else that is not a 200 (registry down, an
 * error answer, a timeout) is {@link RegistryUnavailableException}, so that callers can tell an
 * unknown name from a registry they could not ask.
 */
public final class RegistryClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final Duration timeout;
  private final HttpClient client;

  public RegistryClient(URI base, Duration timeout) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  public URI base() {
    return base;
  }

  /** A path segment, encoded. */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The body of {@code GET {base}{path}}, as a published record, or empty on a 404.
   *
   * @throws RegistryUnavailableException when the registry does not answer, or answers neither 200 nor 404
   */
  public Optional<JsonNode> get(String path) {
    URI uri = URI.create(base + path);
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) return Optional.empty();
      if (response.statusCode() != 200) {
        throw new RegistryUnavailableException("registry " + base + " answered " + response.statusCode() + " to GET " + path);
      }
      return Optional.of(publishedRecord(response.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while asking the registry " + base, e);
    } catch (IOException e) {
      throw new RegistryUnavailableException("registry " + base + " did not answer GET " + path + ": " + e, e);
    }
  }

  /**
   * The topic's record out of an endpoint's body (the record's fields plus derived ones: status,
   * features, hops...). A publication time in another form than ISO text is dropped rather than
   * failing the lookup.
   */
  public static JsonNode publishedRecord(String body) {
    JsonNode n = JSON.readTree(body);
    if (n instanceof ObjectNode o && o.has("publishedAt")) {
      JsonNode at = o.get("publishedAt");
      boolean iso = at.isString();
      if (iso) {
        try {
          Instant.parse(at.asString());
        } catch (DateTimeParseException e) {
          iso = false;
        }
      }
      if (!iso) o.remove("publishedAt");
    }
    return n;
  }

  /** The registry could not be asked (down, timing out, answering errors). */
  public static final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message) {
      super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
