package dev.tessera.registry.ui;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.DataType;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server side of the admin UI's "try a fetch" box: sends the keys typed in the page to the
 * fetcher ({@code POST /v1/features/groupby/{name}}, DESIGN.md "REST APIs"), so the browser needs
 * no CORS and no fetcher URL, and turns every failure into a sentence a person can act on.
 */
public final class FetcherClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /** What the box shows: the fetcher's answer (pretty JSON) or why there is none. */
  public record Outcome(boolean ok, Integer status, String body, String error, String url, long millis) {}

  public FetcherClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public URI base() {
    return base;
  }

  /**
   * @param keyText key column -> what was typed; converted to the key's type (LONG keys as numbers)
   * @param atMillis optional "as of" time (the fetcher's {@code atMillis})
   */
  public Outcome fetch(CompiledGroupBy g, Map<String, String> keyText, Long atMillis) {
    String path = "v1/features/groupby/" + g.name() + (atMillis == null ? "" : "?atMillis=" + atMillis);
    URI uri = base.resolve(base.getPath().endsWith("/") ? path : base.getPath() + "/" + path);
    Map<String, Object> key;
    try {
      key = typedKey(g, keyText);
    } catch (IllegalArgumentException e) {
      return new Outcome(false, null, null, e.getMessage(), uri.toString(), 0);
    }
    long start = System.nanoTime();
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(List.of(key)), StandardCharsets.UTF_8)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      long ms = (System.nanoTime() - start) / 1_000_000;
      String body = pretty(response.body());
      if (response.statusCode() / 100 == 2) return new Outcome(true, response.statusCode(), body, null, uri.toString(), ms);
      return new Outcome(false, response.statusCode(), body, "The fetcher answered " + response.statusCode() + describe(response.body()),
          uri.toString(), ms);
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return unreachable(uri, "connection refused or timed out");
    } catch (HttpTimeoutException e) {
      return new Outcome(false, null, null, "The fetcher at " + base + " did not answer within " + timeout.toMillis() + " ms.",
          uri.toString(), (System.nanoTime() - start) / 1_000_000);
    } catch (java.io.IOException e) {
      return unreachable(uri, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, null, null, "Interrupted while waiting for the fetcher.", uri.toString(), 0);
    }
  }

  private Outcome unreachable(URI uri, String why) {
    return new Outcome(false, null, null, "The fetcher at " + base + " is not reachable (" + why
        + "). Is fetcher-service running? The registry calls it at tessera.registry.fetcher-url.", uri.toString(), 0);
  }

  static Map<String, Object> typedKey(CompiledGroupBy g, Map<String, String> keyText) {
    Map<String, Object> key = new LinkedHashMap<>();
    List<String> names = g.keyNames();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String v = keyText.get(name);
      if (v == null || v.isBlank()) throw new IllegalArgumentException("Enter a value for the key " + name + ".");
      v = v.trim();
      DataType t = g.keyType(i);
      if (t.isIntegral()) {
        try {
          key.put(name, Long.parseLong(v));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("The key " + name + " is " + t.spec() + ": '" + v + "' is not a whole number.");
        }
      } else if (t == DataType.Primitive.BOOLEAN) {
        String b = v.toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) throw new IllegalArgumentException("The key " + name + " is BOOLEAN: enter true or false.");
        key.put(name, Boolean.parseBoolean(b));
      } else {
        key.put(name, v);
      }
    }
    return key;
  }

  private static String pretty(String body) {
    if (body == null || body.isBlank()) return body;
    try {
      return PRETTY.writeValueAsString(JSON.readTree(body));
    } catch (JacksonException e) {
      return body;
    }
  }

  /** ": <detail>" of a problem body, if the fetcher sent one. */
  private static String describe(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("detail")) return ": " + n.get("detail").asString();
    } catch (JacksonException | IllegalArgumentException e) {
      // not JSON: the body is shown as it is
    }
    return ".";
  }
}
