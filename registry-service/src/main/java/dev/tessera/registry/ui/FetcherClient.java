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
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server side of the admin UI's "try a fetch" boxes: sends what was typed in the page to the
 * fetcher ({@code POST /v1/features/groupby/{name}}, DESIGN.md "REST APIs"; {@code POST
 * /v1/features/join/{name}}, DESIGN-joins.md), so the browser needs no CORS and no fetcher URL, and
 * turns every failure into a sentence a person can act on.
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
   * A GroupBy's features ({@code POST /v1/features/groupby/{name}}).
   *
   * @param keyText key column -> what was typed; converted to the key's type (LONG keys as numbers)
   * @param atMillis optional "as of" time (the fetcher's {@code atMillis})
   */
  public Outcome fetch(CompiledGroupBy g, Map<String, String> keyText, Long atMillis) {
    Map<String, DataType> keys = new LinkedHashMap<>();
    for (int i = 0; i < g.keyNames().size(); i++) keys.put(g.keyNames().get(i), g.keyType(i));
    return post("v1/features/groupby/" + g.name(), atMillis, () -> typed(keys, keyText, "key", false));
  }

  /**
   * A Join's whole vector ({@code POST /v1/features/join/{name}}, DESIGN-joins.md "Online"): one
   * request object with the left key columns (required) and the request fields (blank = null).
   *
   * @param keyColumns the key columns with their left-schema types
   * @param requestFields the request fields with their left-schema types
   */
  public Outcome fetchJoin(String join, Map<String, DataType> keyColumns, Map<String, DataType> requestFields, Map<String, String> text,
      Long atMillis) {
    return post("v1/features/join/" + join, atMillis, () -> {
      Map<String, Object> row = typed(keyColumns, text, "key column", false);
      row.putAll(typed(requestFields, text, "request field", true));
      return row;
    });
  }

  /** Sends one request object, built by {@code body} (which may refuse what was typed), and reads the answer. */
  private Outcome post(String path, Long atMillis, Supplier<Map<String, Object>> body) {
    String query = path + (atMillis == null ? "" : "?atMillis=" + atMillis);
    URI uri = base.resolve(base.getPath().endsWith("/") ? query : base.getPath() + "/" + query);
    Map<String, Object> row;
    try {
      row = body.get();
    } catch (IllegalArgumentException e) {
      return new Outcome(false, null, null, e.getMessage(), uri.toString(), 0);
    }
    long start = System.nanoTime();
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(List.of(row)), StandardCharsets.UTF_8)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      long ms = (System.nanoTime() - start) / 1_000_000;
      String pretty = pretty(response.body());
      if (response.statusCode() / 100 == 2) return new Outcome(true, response.statusCode(), pretty, null, uri.toString(), ms);
      return new Outcome(false, response.statusCode(), pretty, "The fetcher answered " + response.statusCode() + describe(response.body()),
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
    Map<String, DataType> keys = new LinkedHashMap<>();
    for (int i = 0; i < g.keyNames().size(); i++) keys.put(g.keyNames().get(i), g.keyType(i));
    return typed(keys, keyText, "key", false);
  }

  /**
   * What was typed, in each field's type: whole numbers for INT/LONG, numbers for FLOAT/DOUBLE,
   * true/false for BOOLEAN, JSON for lists and maps, text otherwise.
   *
   * @param what how the message names a field ("key", "request field")
   * @param blankIsNull a blank field is JSON null (a request field may be null); otherwise it is refused
   * @throws IllegalArgumentException naming the field and what it needs
   */
  static Map<String, Object> typed(Map<String, DataType> fields, Map<String, String> text, String what, boolean blankIsNull) {
    Map<String, Object> out = new LinkedHashMap<>();
    fields.forEach((name, t) -> {
      String v = text.get(name);
      if (v == null || v.isBlank()) {
        if (!blankIsNull) throw new IllegalArgumentException("Enter a value for the " + what + " " + name + ".");
        out.put(name, null);
        return;
      }
      out.put(name, typed(name, t, v.trim(), what));
    });
    return out;
  }

  private static Object typed(String name, DataType t, String v, String what) {
    if (t.isIntegral()) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("The " + what + " " + name + " is " + t.spec() + ": '" + v + "' is not a whole number.");
      }
    }
    if (t.isNumeric()) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("The " + what + " " + name + " is " + t.spec() + ": '" + v + "' is not a number.");
      }
    }
    if (t == DataType.Primitive.BOOLEAN) {
      String b = v.toLowerCase(Locale.ROOT);
      if (!b.equals("true") && !b.equals("false")) throw new IllegalArgumentException("The " + what + " " + name + " is BOOLEAN: enter true or false.");
      return Boolean.parseBoolean(b);
    }
    if (!t.isPrimitive()) {
      try {
        return JSON.readTree(v);
      } catch (JacksonException e) {
        throw new IllegalArgumentException("The " + what + " " + name + " is " + t.spec() + ": enter it as JSON, e.g. " + (t.spec().startsWith("LIST") ? "[\"a\", \"b\"]" : "{\"a\": 1}") + ".");
      }
    }
    return v;
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
