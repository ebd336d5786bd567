package dev.tessera.support;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GETs of the registry REST API, the one client of it in the services. A 404 is "no such thing"
 * (empty), and so is a body whose {@code status} is RETIRED for a latest-version lookup; anything
 * else that is not a 200 (registry down, an error answer, a timeout, a body that does not read) is
 * {@link Unavailable}, so that an unknown name is told apart from a registry that could not be asked.
 */
final class RegistryRest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The registry could not be asked, or gave an answer that cannot be used. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final RegistryApi api;
  private final String base;
  private final HttpClient client;

  RegistryRest(RegistryApi api) {
    this.api = api;
    String b = api.url().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.client = HttpClient.newBuilder().connectTimeout(api.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  String base() {
    return base;
  }

  /**
   * The live version of a GroupBy ({@code /live}: the served one, not a newer version being rolled
   * out); empty when the registry does not know it or it is retired.
   */
  Optional<PublishedGroupBy> groupBy(String name) {
    return get("/api/v1/groupbys/" + segment(name) + "/live").filter(b -> !retired(b))
        .map(b -> read(b, PublishedGroupBy::fromTree, "GroupBy", name));
  }

  /** One published version of a GroupBy ({@code /versions/{v}}); empty when the registry has no such version. */
  Optional<PublishedGroupBy> groupBy(String name, int version) {
    return version("/api/v1/groupbys/", name, version, PublishedGroupBy::fromTree, "GroupBy");
  }

  /** The live version of a Join, not compiled (that needs its parts' GroupBys); empty when unknown or retired. */
  Optional<PublishedJoin> join(String name) {
    return latest("/api/v1/joins/", name, PublishedJoin::fromTree, "Join");
  }

  /** One published version of a Join; empty when the registry has no such version. */
  Optional<PublishedJoin> join(String name, int version) {
    return version("/api/v1/joins/", name, version, PublishedJoin::fromTree, "Join");
  }

  private <T> Optional<T> latest(String collection, String name, Function<JsonNode, T> reader, String what) {
    return get(collection + segment(name)).filter(b -> !retired(b)).map(b -> read(b, reader, what, name));
  }

  private <T> Optional<T> version(String collection, String name, int version, Function<JsonNode, T> reader, String what) {
    Optional<JsonNode> body = get(collection + segment(name) + "/versions/" + version);
    if (body.isPresent() && (!name.equals(body.get().path("name").asString("")) || body.get().path("version").asInt(-1) != version)) {
      throw new Unavailable("registry at " + base + " answered " + what + " " + body.get().path("name") + " version "
          + body.get().path("version") + " when asked for " + name + " version " + version, null);
    }
    return body.map(b -> read(b, reader, what, name));
  }

  /** The body of {@code GET {base}{path}}, or empty on a 404. */
  private Optional<JsonNode> get(String path) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(api.timeout())
          .header("Accept", "application/json").GET();
      api.headers().forEach(request::header);
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) return Optional.empty();
      if (response.statusCode() != 200) throw new Unavailable("registry at " + base + " answered " + response.statusCode() + " to GET " + path, null);
      return Optional.of(publishedRecord(response.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking the registry at " + base, e);
    } catch (IOException e) {
      throw new Unavailable("registry at " + base + " cannot be reached (GET " + path + "): " + e, e);
    } catch (RuntimeException e) {
      if (e instanceof Unavailable) throw e;
      throw new Unavailable("registry at " + base + " answered GET " + path + " with a body that does not read: " + e.getMessage(), e);
    }
  }

  /**
   * The topic's record out of an endpoint's body (the record's fields plus derived ones: status,
   * features, hops...). A publication time in another form than ISO text is dropped rather than
   * failing the lookup.
   */
  static JsonNode publishedRecord(String body) {
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

  /** The registry answers for retired definitions too, with status RETIRED; those are not served. */
  private static boolean retired(JsonNode body) {
    return "RETIRED".equalsIgnoreCase(body.path("status").asString("")) || body.path("retired").asBoolean(false);
  }

  private <T> T read(JsonNode body, Function<JsonNode, T> reader, String what, String name) {
    try {
      return reader.apply(body);
    } catch (IllegalArgumentException | UnsupportedOperationException | NullPointerException e) {
      throw new Unavailable("registry at " + base + " returned an unreadable " + what + " " + name + ": " + e.getMessage(), e);
    }
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
